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
    private static readonly TimeSpan StalledAfter = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ErrorBackoff = TimeSpan.FromSeconds(2);

    private readonly TempDirectory _dir = new();
    private readonly TestClock _clock = new();
    private TestGateway _gateway = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DatabasePath => Path.Combine(_dir.Path, "wabahooks.db");

    public async ValueTask InitializeAsync() =>
        _gateway = await TestGateway.StartAsync(
            _dir.Path,
            options =>
            {
                options.Processor.StalledAfter = StalledAfter;
                options.Processor.ErrorBackoff = ErrorBackoff;
            },
            clock: _clock);

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
        var progress = _gateway.Services.GetRequiredService<ProcessingProgress>();
        // The events table gone: deliveries still commit (and are answered 200), but no batch can. The processor last
        // made progress when it found the inbox empty, before this post; the clock has not moved since.
        var since = _clock.GetUtcNow();
        Execute("ALTER TABLE events RENAME TO events_away;");
        await _gateway.PostAsync(ExamplePayloads.Read("messages-text.json"));

        // Failing and retried every ErrorBackoff, yet neither stalled nor logged more than once while it lasts less
        // than StalledAfter.
        await _clock.AdvanceUntilAsync(ErrorBackoff, () => progress.Failures >= 3, "three failed processor turns");
        Assert.Single(_gateway.Logs.Lines, l => l.Contains("Processing paused", StringComparison.Ordinal));
        _clock.Advance(since + StalledAfter - TimeSpan.FromMilliseconds(1) - _clock.GetUtcNow());
        Assert.Equal(HttpStatusCode.OK, (await ReadyzAsync("/readyz")).Status);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var (status, stalled) = await ReadyzAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("processing has made no progress for 1 min", stalled.GetProperty("reason").GetString());

        Execute("ALTER TABLE events_away RENAME TO events;");

        // The next turn, an ErrorBackoff later, succeeds: ready again, and the delivery processed.
        await _clock.AdvanceUntilAsync(ErrorBackoff, async () => (await ReadyzAsync("/readyz")).Status == HttpStatusCode.OK, "/readyz to answer 200 again");
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
}
