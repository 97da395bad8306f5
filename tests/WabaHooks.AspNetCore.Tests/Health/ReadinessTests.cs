using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Hosting.Inbox;
using WabaHooks.Hosting.Processing;
using WabaHooks.Testing;
using WabaHooks.Testing.Storage;

namespace WabaHooks.AspNetCore.Tests.Health;

/// <summary><c>/readyz</c> tells the truth: not ready while the inbox cannot commit or processing is stuck, ready again by itself.</summary>
public sealed class ReadinessTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private TestGateway _gateway = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DatabasePath => Path.Combine(_dir.Path, "wabahooks.db");

    public async ValueTask InitializeAsync() =>
        _gateway = await TestGateway.StartAsync(_dir.Path, options =>
        {
            // Any failure without progress counts as stalled at once, and retries come quickly: the test decides on state.
            options.Processor.StalledAfter = TimeSpan.Zero;
            options.Processor.ErrorBackoff = TimeSpan.FromMilliseconds(50);
        });

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_healthy_gateway_is_ready_and_the_public_answer_holds_only_the_status()
    {
        var (status, json) = await ReadyzAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"status":"ready"}""", json.GetRawText());
    }

    [Fact]
    public async Task While_the_inbox_cannot_commit_readyz_is_503_and_it_is_ready_again_without_new_traffic()
    {
        await using (SqliteWriteLock.Hold(DatabasePath))
        {
            using var refused = await _gateway.Client.SendAsync(TestGateway.SignedPost(ExamplePayloads.Read("messages-text.json")), Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);

            var (status, json) = await ReadyzAsync("/readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("the inbox cannot commit deliveries", json.GetProperty("reason").GetString());
            Assert.False(json.TryGetProperty("detail", out _));

            var (_, details) = await ReadyzAsync("/readyz-details");
            Assert.Contains("SQLite", details.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // Out of the load balancer, nothing would arrive to clear the failure: the probe checks the store itself.
        Assert.Equal(HttpStatusCode.OK, (await ReadyzAsync("/readyz")).Status);
    }

    [Fact]
    public async Task While_processing_makes_no_progress_readyz_is_503_and_once_the_store_heals_the_delivery_is_processed()
    {
        // The events table gone: deliveries still commit (and are answered 200), but no batch can.
        Execute("ALTER TABLE events RENAME TO events_away;");
        await _gateway.PostAsync(ExamplePayloads.Read("messages-text.json"));

        var stalled = await ReadyzUntilAsync(HttpStatusCode.ServiceUnavailable);
        Assert.StartsWith("processing has made no progress for", stalled.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // Retried every 50 ms, failing each time, yet logged once: a stalled processor does not flood the log.
        await Await.UntilAsync(() => Task.FromResult(_gateway.Services.GetRequiredService<ProcessingProgress>().Failures >= 3), "three failed processor turns");
        Assert.Single(_gateway.Logs.Lines, l => l.Contains("Processing paused", StringComparison.Ordinal));

        Execute("ALTER TABLE events_away RENAME TO events;");

        await ReadyzUntilAsync(HttpStatusCode.OK);
        Assert.Single(await _gateway.Store.ListDeliveryOutcomesAsync(10, null, Ct), o => o.Events == 1);
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private async Task<(HttpStatusCode Status, JsonElement Json)> ReadyzAsync(string path)
    {
        using var response = await _gateway.Client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return (response.StatusCode, json.RootElement.Clone());
    }

    /// <summary>Reads <c>/readyz</c> until it answers <paramref name="expected"/>.</summary>
    private async Task<JsonElement> ReadyzUntilAsync(HttpStatusCode expected) =>
        (await Await.UntilAsync(() => ReadyzAsync("/readyz"), r => r.Status == expected, $"/readyz to answer {expected}", TimeSpan.FromSeconds(20))).Json;
}
