using System.Text;
using WabaHooks.Inbox;
using WabaHooks.Storage;
using Xunit;

namespace WabaHooks.Testing.Storage;

/// <summary>
/// What every <see cref="IDeliveryStore"/> must do. Each store's test class derives from this, so SQLite and
/// PostgreSQL are held to exactly the same behaviour.
/// </summary>
public abstract class DeliveryStoreContract : StoreContract<IDeliveryStore>
{
    /// <summary>A second store instance over the same data, as after a process restart.</summary>
    protected abstract Task<IDeliveryStore> ReopenStoreAsync();

    /// <summary>Makes another connection hold the store's write lock until the returned handle is disposed.</summary>
    protected abstract Task<IAsyncDisposable> HoldWriteLockAsync();

    private static InboundDelivery Delivery(string body, string appId = "app-1", DeliveryFlags flags = DeliveryFlags.None, long atMs = 1_767_261_601_123) =>
        new(Encoding.UTF8.GetBytes(body), DateTimeOffset.FromUnixTimeMilliseconds(atMs), appId, flags);

    [Fact]
    public async Task Append_assigns_ascending_ids_in_batch_order()
    {
        var first = await Store.AppendAsync([Delivery("{\"n\":1}"), Delivery("{\"n\":2}")], Ct);
        var second = await Store.AppendAsync([Delivery("{\"n\":3}")], Ct);

        Assert.Equal(2, first.Count);
        Assert.True(first[0] < first[1]);
        Assert.True(first[1] < second[0]);
    }

    [Fact]
    public async Task A_delivery_reads_back_byte_for_byte_with_its_metadata()
    {
        var body = Encoding.UTF8.GetBytes("{\"text\":\"caf\\u00e9 \U0001F600\"}");
        var ids = await Store.AppendAsync([new InboundDelivery(body, DateTimeOffset.FromUnixTimeMilliseconds(1_767_261_601_123), "sha256:abcd1234", DeliveryFlags.UnexpectedObject)], Ct);

        var stored = await Store.GetAsync(ids[0], Ct);

        Assert.NotNull(stored);
        Assert.Equal(body, stored.Body.ToArray());
        Assert.Equal(ids[0], stored.Summary.Id);
        Assert.Equal("sha256:abcd1234", stored.Summary.AppId);
        Assert.Equal(body.Length, stored.Summary.Length);
        Assert.Equal(DeliveryFlags.UnexpectedObject, stored.Summary.Flags);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_767_261_601_123), stored.Summary.ReceivedAt);
    }

    [Fact]
    public async Task A_delivery_keeps_the_trace_context_it_was_received_under_and_one_without_reads_back_null()
    {
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var ids = await Store.AppendAsync(
            [Delivery("{\"n\":1}") with { TraceParent = traceParent }, Delivery("{\"n\":2}")], Ct);

        Assert.Equal(traceParent, (await Store.GetAsync(ids[0], Ct))?.Summary.TraceParent);
        Assert.Null((await Store.GetAsync(ids[1], Ct))?.Summary.TraceParent);
        Assert.Equal(traceParent, (await Store.ReadAfterAsync(ids[0] - 1, 1, Ct)).Single().Summary.TraceParent);
        Assert.Equal(traceParent, (await Store.ListAsync(1, ids[0] + 1, Ct)).Single().TraceParent);
    }

    [Fact]
    public async Task Get_of_an_unknown_id_is_null()
    {
        Assert.Null(await Store.GetAsync(424242, Ct));
    }

    [Fact]
    public async Task List_is_newest_first_and_pages_with_before_id()
    {
        var ids = await Store.AppendAsync([.. Enumerable.Range(0, 5).Select(i => Delivery($"{{\"n\":{i}}}"))], Ct);

        var page1 = await Store.ListAsync(2, null, Ct);
        var page2 = await Store.ListAsync(2, page1[^1].Id, Ct);
        var page3 = await Store.ListAsync(2, page2[^1].Id, Ct);

        Assert.Equal([ids[4], ids[3]], page1.Select(d => d.Id));
        Assert.Equal([ids[2], ids[1]], page2.Select(d => d.Id));
        Assert.Equal([ids[0]], page3.Select(d => d.Id));
    }

    [Fact]
    public async Task Read_after_walks_the_inbox_oldest_first()
    {
        var ids = await Store.AppendAsync([.. Enumerable.Range(0, 5).Select(i => Delivery($"{{\"n\":{i}}}"))], Ct);

        var batch = await Store.ReadAfterAsync(ids[1], 2, Ct);

        Assert.Equal([ids[2], ids[3]], batch.Select(d => d.Id));
        Assert.Equal("{\"n\":2}", Encoding.UTF8.GetString(batch[0].Body.Span));
    }

    [Fact]
    public async Task Committed_deliveries_survive_a_reopen()
    {
        var ids = await Store.AppendAsync([Delivery("{\"kept\":true}")], Ct);
        if (Store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        var reopened = await ReopenStoreAsync();
        Replace(reopened);
        await reopened.InitializeAsync(Ct);

        var stored = await reopened.GetAsync(ids[0], Ct);
        Assert.Equal("{\"kept\":true}", Encoding.UTF8.GetString(stored!.Body.Span));
    }

    [Fact]
    public async Task Writable_check_passes_on_a_healthy_store()
    {
        await Store.CheckWritableAsync(Ct);
    }

    [Fact]
    public async Task A_store_whose_write_lock_is_held_elsewhere_fails_appends_and_the_writable_check()
    {
        await using (await HoldWriteLockAsync())
        {
            await Assert.ThrowsAsync<StoreUnavailableException>(() => Store.AppendAsync([Delivery("{}")], Ct));
            await Assert.ThrowsAsync<StoreUnavailableException>(() => Store.CheckWritableAsync(Ct));
        }

        // Once the lock is released the same store instance recovers.
        var ids = await Store.AppendAsync([Delivery("{\"after\":1}")], Ct);
        Assert.NotNull(await Store.GetAsync(ids[0], Ct));
    }
}
