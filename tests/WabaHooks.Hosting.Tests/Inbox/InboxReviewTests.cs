using System.Text;
using WabaHooks.Hosting.Inbox;
using WabaHooks.Hosting.Tests.Support;
using WabaHooks.Testing;

namespace WabaHooks.Hosting.Tests.Inbox;

/// <summary><see cref="InboxReview"/> on a real SQLite file: deliveries with what became of them, and reprocessing.</summary>
public sealed class InboxReviewTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private ProcessedStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] NotJson => Encoding.UTF8.GetBytes("this is not json");

    public async ValueTask InitializeAsync() => _store = await ProcessedStore.OpenAsync(_dir.Path);

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    private InboxReview Review => new(_store.Store, _store.Store);

    [Fact]
    public async Task Deliveries_are_listed_newest_first_each_with_what_the_processor_made_of_it_or_none_while_it_waits()
    {
        await _store.ReceiveAsync(ExamplePayloads.Read("messages-batched-mixed.json"), NotJson, ExamplePayloads.Read("messages-text.json"));
        var waiting = Assert.Single(await _store.AppendAsync(ExamplePayloads.Read("messages-image.json")));

        var listed = await Review.ListAsync(10, null, Ct);

        Assert.Equal(4, listed.Count);
        Assert.Equal(listed.Select(d => d.Summary.Id).OrderDescending(), listed.Select(d => d.Summary.Id));
        Assert.Equal(waiting, listed[0].Summary.Id);
        Assert.Null(listed[0].Outcome);
        Assert.Equal((1, (string?)null), (listed[1].Outcome!.Events, listed[1].Outcome!.ParseError));
        Assert.StartsWith("NotJson", listed[2].Outcome!.ParseError, StringComparison.Ordinal);
        Assert.Equal(3, listed[3].Outcome!.Events);
        Assert.Equal(listed.Skip(2).Select(d => d.Summary.Id), (await Review.ListAsync(10, listed[1].Summary.Id, Ct)).Select(d => d.Summary.Id));
    }

    [Fact]
    public async Task Only_failed_deliveries_are_listed_with_why_when_asked()
    {
        await _store.ReceiveAsync(NotJson, ExamplePayloads.Read("messages-text.json"), NotJson);

        var failed = await Review.ListFailedAsync(10, Ct);

        Assert.Equal(2, failed.Count);
        Assert.All(failed, d => Assert.StartsWith("NotJson", d.Outcome?.ParseError, StringComparison.Ordinal));
        Assert.True(failed[0].Summary.Id > failed[1].Summary.Id, "newest first");
    }

    [Fact]
    public async Task Reprocessing_takes_processed_deliveries_back_and_names_the_ids_it_left_as_they_are()
    {
        await _store.ReceiveAsync(NotJson, ExamplePayloads.Read("messages-text.json"));
        var processed = (await Review.ListAsync(10, null, Ct)).Select(d => d.Summary.Id).Order().ToList();
        var waiting = Assert.Single(await _store.AppendAsync(ExamplePayloads.Read("messages-image.json")));

        var result = await Review.ReprocessAsync([processed[1], 999, waiting, processed[0]], Ct);

        Assert.Equal(processed, result.Queued);
        Assert.Equal([999L, waiting], result.LeftAsTheyAre);
        Assert.All(await Review.ListAsync(10, null, Ct), d => Assert.Null(d.Outcome));
    }

    [Fact]
    public async Task Reprocessing_failed_deliveries_takes_back_only_those()
    {
        await _store.ReceiveAsync(ExamplePayloads.Read("messages-text.json"), NotJson);
        var failed = Assert.Single(await Review.ListFailedAsync(10, Ct)).Summary.Id;

        var result = await Review.ReprocessAsync(null, Ct);

        Assert.Equal([failed], result.Queued);
        Assert.Empty(result.LeftAsTheyAre);
        Assert.Empty(await Review.ListFailedAsync(10, Ct));
    }
}
