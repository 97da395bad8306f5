using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using WabaHooks.Cli.Tests.Support;
using WabaHooks.Postgres;
using WabaHooks.Signatures;
using WabaHooks.Sqlite;
using WabaHooks.Storage;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;
using WabaHooks.Testing.Processes;
using WabaHooks.Testing.Storage;

namespace WabaHooks.Cli.Tests.Transfer;

/// <summary>
/// copy-store end to end: a store a real <c>serve</c> built on SQLite — one event delivered, one dead-lettered, a
/// batched delivery's events pending after failed attempts — copied by the real <c>copy-store</c> and served from
/// PostgreSQL, with one HTTP destination watching what is sent.
/// </summary>
public sealed class CopyStoreServeTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private const string AppSecret = "0123456789abcdef0123456789abcdef";
    private const string Destination = "crm";
    private const string Sink = "destination:" + Destination;
    private const string Delivered = "messages-text.json";
    private const string Dead = "messages-reaction.json";
    private const string Pending = "messages-batched-mixed.json";

    /// <summary>Generous: three serve start-ups on a machine shared with other builds.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(45);

    private readonly TempDirectory _dir = new();
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(20) };
    private DestinationServer _destination = null!;

    private string SqliteDataDir => _dir.Combine("sqlite-data");

    public async ValueTask InitializeAsync() => _destination = await DestinationServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _destination.DisposeAsync();
        _client.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_store_built_by_serve_on_sqlite_and_copied_to_postgres_sends_nothing_delivered_again_delivers_each_pending_event_once_keeps_dead_letters_and_still_dedupes()
    {
        var database = await postgres.CreateDatabaseAsync();
        var delivered = Keys(Delivered);
        var dead = Keys(Dead);
        var pending = Keys(Pending);
        Assert.True(pending.Count > 1, "the pending delivery is a batch, so its events are rebuilt from their locators");
        Assert.Empty(delivered.Concat(dead).Intersect(pending));

        // 1. SQLite, a retry window of zero: the first failure is final. The text is taken, the reaction refused.
        _destination.Respond = (request, _, _) => Task.FromResult<int?>(request.KeysInEnvelope().Intersect(dead).Any() ? 500 : 200);
        var (first, firstCallback) = await StartServeAsync(window: "00:00:00", "--data-dir", SqliteDataDir);
        await using (first)
        {
            await PostAsync(firstCallback, Delivered);
            await WaitForSqliteBacklogAsync(b => b.Done == delivered.Count, "the text delivered");
            await PostAsync(firstCallback, Dead);
            await WaitForSqliteBacklogAsync(b => b.Dead == dead.Count, "the reaction dead-lettered");
            await StopAsync(first);
        }

        // 2. SQLite again, a long window, the destination down: the batch's events fail and stay pending.
        await _destination.StopAsync();
        var (second, secondCallback) = await StartServeAsync(window: "1.00:00:00", "--data-dir", SqliteDataDir);
        await using (second)
        {
            await PostAsync(secondCallback, Pending);
            await Await.UntilAsync(
                () => AttemptCountsAsync(SqliteStoreAsync, pending), counts => counts.All(n => n >= 1),
                "every pending event tried and failed once", Bound);
            await StopAsync(second);
        }

        var before = await SqliteBacklogAsync();
        Assert.Equal((pending.Count, dead.Count, delivered.Count), (before!.Pending, before.Dead, before.Done));
        var attemptsBefore = await AttemptCountsAsync(SqliteStoreAsync, pending);
        var sentBefore = _destination.Received.Count;

        // 3. The real command, then the same again: nothing new the second time.
        var copy = await CliProcess.RunAsync(["copy-store", "--from-data-dir", SqliteDataDir, "--to-postgres", database], _dir.Path, timeout: Bound);
        Assert.True(copy.ExitCode == 0, $"copy-store exit {copy.ExitCode}: {copy.StandardOutput}\n{copy.StandardError}");
        var again = await CliProcess.RunAsync(["copy-store", "--from-data-dir", SqliteDataDir, "--to-postgres", database], _dir.Path, timeout: Bound);
        Assert.True(again.ExitCode == 0, $"copy-store again exit {again.ExitCode}: {again.StandardError}");
        var tables = again.StandardOutput.Split('\n').Where(l => l.Contains(" read ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(tables);
        Assert.All(tables, l => Assert.Matches(@"\s0 added", l));

        // 4. PostgreSQL, its own fresh data dir, the destination back and taking everything.
        _destination.Respond = static (_, _, _) => Task.FromResult<int?>(200);
        await _destination.StartAgainAsync();
        var (third, thirdCallback) = await StartServeAsync(window: "1.00:00:00", "--postgres", database, "--data-dir", _dir.Combine("postgres-data"));
        await using (third)
        {
            var after = await Await.UntilAsync(
                () => PostgresBacklogAsync(database), b => b is { Pending: 0 } && b.Done == delivered.Count + pending.Count,
                "the pending events delivered from PostgreSQL", Bound);
            Assert.Equal(dead.Count, after!.Dead);

            // Each pending event taken exactly once, by one more attempt than SQLite had recorded; nothing else sent.
            Assert.All(pending, key => Assert.Equal(1, _destination.TimesAccepted(key, meta: true)));
            Assert.Equal(attemptsBefore.Select(n => n + 1), await AttemptCountsAsync(() => PostgresStoreAsync(database), pending));
            var sentFromPostgres = _destination.Received.Skip(sentBefore).SelectMany(r => r.KeysInEnvelope()).ToList();
            Assert.Equal(pending.Order(StringComparer.Ordinal), sentFromPostgres.Order(StringComparer.Ordinal));
            Assert.All(delivered, key => Assert.Equal(1, _destination.TimesAccepted(key, meta: true)));
            Assert.All(dead, key => Assert.Equal(0, _destination.TimesAccepted(key, meta: true)));
            await using (var store = await PostgresStoreAsync(database))
            {
                Assert.Equal(dead.Order(StringComparer.Ordinal), (await store.ListDeadLettersAsync(Sink, 10, TestContext.Current.CancellationToken)).Select(d => d.EventId).Order(StringComparer.Ordinal));
            }

            // Meta redelivers the text it had delivered before the move: a duplicate, so no new work and nothing sent.
            var sentBeforeRedelivery = _destination.Received.Count;
            await PostAsync(thirdCallback, Delivered);
            var redelivery = await Await.UntilAsync(
                () => LatestDeliveryAsync(database), d => d.GetProperty("processed").GetBoolean(), "the redelivery processed", Bound);
            Assert.Equal((0, delivered.Count), (redelivery.GetProperty("events").GetInt32(), redelivery.GetProperty("duplicates").GetInt32()));
            Assert.Equal(after, await PostgresBacklogAsync(database));
            Assert.Equal(sentBeforeRedelivery, _destination.Received.Count);
        }
    }

    /// <summary>The idempotency keys the gateway gives an example payload's events.</summary>
    private static List<string> Keys(string payload) => [.. DestinationGatewayFixture.EventsOf(payload).Select(e => e.Id)];

    /// <summary>Starts serve with the one destination under a retry window, and the store chosen by <paramref name="store"/>.</summary>
    private async Task<(CliProcess Process, Uri CallbackUrl)> StartServeAsync(string window, params string[] store)
    {
        var destination = DestinationConfig.Meta(Destination, _destination.Url);
        destination["Retry"]!.AsObject()["Window"] = window;
        var config = _dir.Combine($"wabahooks-{Guid.NewGuid():N}.json");
        DestinationConfig.Write(config, [destination]);
        return await CliProcess.StartServeAsync(
            ["--config", config, "--urls", "http://127.0.0.1:0", "--verify-token", "t", "--app-secret", AppSecret, .. store], _dir.Path);
    }

    /// <summary>Stops serve as a service manager does, and waits for it to end.</summary>
    private static async Task StopAsync(CliProcess serve)
    {
        serve.Terminate();
        Assert.Equal(0, await serve.WaitForExitAsync(Bound));
    }

    /// <summary>Posts one example payload signed with the app secret, as Meta does, and expects Meta's 200.</summary>
    private async Task PostAsync(Uri callback, string payload)
    {
        var body = ExamplePayloads.Read(payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, callback) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, AppSecret));
        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private Task<IWabaHooksStore> SqliteStoreAsync() =>
        Task.FromResult<IWabaHooksStore>(new SqliteStore(SqliteStoreOptions.ForDataDirectory(SqliteDataDir)));

    private static async Task<IWabaHooksStore> PostgresStoreAsync(string database)
    {
        var store = new PostgresStore(new PostgresStoreOptions { ConnectionString = database });
        await store.InitializeAsync(TestContext.Current.CancellationToken);
        return store;
    }

    private async Task<SinkBacklog?> SqliteBacklogAsync()
    {
        if (!File.Exists(SqliteStoreOptions.ForDataDirectory(SqliteDataDir).DatabasePath))
        {
            return null;
        }

        await using var store = await SqliteStoreAsync();
        return (await store.GetBacklogAsync(TestContext.Current.CancellationToken)).SingleOrDefault(b => b.Sink == Sink);
    }

    private Task WaitForSqliteBacklogAsync(Func<SinkBacklog, bool> done, string what) =>
        Await.UntilAsync(SqliteBacklogAsync, b => b is not null && done(b), what, Bound);

    private static async Task<SinkBacklog?> PostgresBacklogAsync(string database)
    {
        await using var store = await PostgresStoreAsync(database);
        return (await store.GetBacklogAsync(TestContext.Current.CancellationToken)).SingleOrDefault(b => b.Sink == Sink);
    }

    /// <summary>How many attempts the store recorded for each event at the destination, in the order given.</summary>
    private static async Task<int[]> AttemptCountsAsync(Func<Task<IWabaHooksStore>> open, IReadOnlyList<string> events)
    {
        await using var store = await open();
        var counts = new int[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            counts[i] = (await store.ListAttemptsAsync(events[i], Sink, TestContext.Current.CancellationToken)).Count;
        }

        return counts;
    }

    /// <summary>The newest delivery as <c>deliveries list --postgres</c> shows it.</summary>
    private async Task<JsonElement> LatestDeliveryAsync(string database)
    {
        var result = await CliProcess.RunAsync(["deliveries", "list", "--postgres", database, "--json"], _dir.Path, timeout: Bound);
        Assert.True(result.ExitCode == 0, $"deliveries list exit {result.ExitCode}: {result.StandardError}");
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.EnumerateArray().First().Clone();
    }
}
