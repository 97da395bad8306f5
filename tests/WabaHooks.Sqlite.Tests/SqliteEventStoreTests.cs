using WabaHooks.Inbox;
using WabaHooks.Storage;
using WabaHooks.Testing;
using WabaHooks.Testing.Storage;

namespace WabaHooks.Sqlite.Tests;

public sealed class SqliteEventStoreTests : EventStoreContract
{
    private readonly TempDirectory _dir = new();

    protected override Task<object> CreateStoreAsync() =>
        Task.FromResult<object>(new SqliteStore(new SqliteStoreOptions { DatabasePath = _dir.Combine("wabahooks.db"), TimeProvider = Clock }));

    [Fact]
    public async Task Empty_texts_and_an_empty_raw_value_are_stored_empty_not_null()
    {
        // The processor binds values through SQLite's own API, where an empty span has no address and would read as NULL.
        var ct = TestContext.Current.CancellationToken;
        var delivery = (await Inbox.AppendAsync([new InboundDelivery("{}"u8.ToArray(), Clock.GetUtcNow(), "app", DeliveryFlags.None)], ct))[0];
        var e = new NewEvent("sha256:empty", "account_update", "", "", "", null, 0, ReadOnlyMemory<byte>.Empty, null, ["sink"]) { ConversationKey = "" };

        var result = await Events.CommitProcessedAsync(new ProcessedBatch([new ProcessedDelivery(delivery, null, [e])]), ct);

        Assert.Equal(new ProcessingResult(1, 0), result);
        var stored = await Events.GetEventAsync("sha256:empty", ct);
        Assert.NotNull(stored);
        Assert.Equal(("", "", ""), (stored.Field, stored.WabaId, stored.PhoneNumberId));
        Assert.Equal(0, stored.RawJson.Length);
    }

    [Fact]
    public async Task A_raw_value_that_is_a_slice_of_a_larger_body_is_stored_as_exactly_that_slice()
    {
        var ct = TestContext.Current.CancellationToken;
        var body = "[{\"id\":\"wamid.1\"},{\"id\":\"wamid.2\"}]"u8.ToArray();
        var delivery = (await Inbox.AppendAsync([new InboundDelivery(body, Clock.GetUtcNow(), "app", DeliveryFlags.None)], ct))[0];
        var e = new NewEvent("msg:wamid.2", "messages.text", "messages", "waba", "phone", null, 1, body.AsMemory(18, 16), null, []);

        await Events.CommitProcessedAsync(new ProcessedBatch([new ProcessedDelivery(delivery, null, [e])]), ct);

        Assert.Equal("{\"id\":\"wamid.2\"}"u8.ToArray(), (await Events.GetEventAsync("msg:wamid.2", ct))!.RawJson.ToArray());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }
}
