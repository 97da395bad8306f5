using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using WabaHooks.Events;
using WabaHooks.Destinations;
using WabaHooks.Postgres;
using WabaHooks.Signatures;
using WabaHooks.Storage;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;
using WabaHooks.Testing.Processes;
using WabaHooks.Testing.Storage;

namespace WabaHooks.Cli.Tests.Commands;

/// <summary>
/// Issue #6: three instances on loopback ports share one PostgreSQL database; a client sends signed deliveries to all
/// three, and one instance is killed with SIGKILL mid-run and restarted. Every delivery that got a 200 is stored, every
/// event is stored once, and every HTTP destination and in-process handler gets every event.
/// </summary>
public sealed class PostgresInstancesTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IDisposable
{
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private const string MetaDestinationSecret = "the-secret-the-crm-checks";
    private const int Deliveries = 600;

    // A sixth of the run: instance 0 dies while deliveries, processing and forwarding are all in full flow, and early
    // enough that it is back (a start takes seconds on a busy machine) while deliveries still come.
    private const int KillAfter = 100;

    // Each destination request and each handler invocation takes this long, as real ones do.
    private const int SinkLatencyMs = 25;

    // What a killed instance had claimed (handler or destination work) is taken over when its lease runs out: the
    // timeout (2 s in both tests) plus 30 s. The bound leaves room for a loaded machine; it is never waited out when all
    // is well.
    private static readonly TimeSpan TakeOverBound = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    private static byte[] Message(int n) => Encoding.UTF8.GetBytes(
        $$$"""{"object":"whatsapp_business_account","entry":[{"id":"109876543210001","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550142233","phone_number_id":"118765432100002"},"messages":[{"from":"447700900456","id":"wamid.multi-{{{n}}}","timestamp":"1767261601","type":"text","text":{"body":"n"}}]}}]}]}""");

    private static string EventId(int n) => $"msg:wamid.multi-{n}";

    [Fact]
    public async Task Three_serve_instances_on_one_database_store_each_event_once_and_forward_every_event_to_both_destinations_when_one_is_killed()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var metaDestination = await DestinationServer.StartAsync();
        await using var eventDestination = await DestinationServer.StartAsync();

        // Instance i sends to the path /hook/i, so the test knows instance 0's requests. Once armed, the first of them is
        // held unanswered and instance 0 is killed with it in flight: that work is claimed under instance 0's lease, and
        // must be taken over when the lease runs out — in every run, not only when the kill happens to land on it.
        var armed = 0;
        var caught = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var destination in new[] { metaDestination, eventDestination })
        {
            destination.Respond = async (request, _, cancellationToken) =>
            {
                if (request.Path == "/hook/0" && Interlocked.CompareExchange(ref armed, 2, 1) == 1)
                {
                    caught.TrySetResult();
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }

                await Task.Delay(SinkLatencyMs, cancellationToken);
                return 200;
            };
        }

        var eventSecret = StandardWebhooks.SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Dictionary<string, string> EnvironmentOf(int i)
        {
            var environment = new Dictionary<string, string> { ["WABAHOOKS__POSTGRES__CONNECTIONSTRING"] = database };
            AddDestination(environment, 0, "meta-copy", new Uri($"{metaDestination.Url}/{i}"), "meta", MetaDestinationSecret);
            AddDestination(environment, 1, "event-copy", new Uri($"{eventDestination.Url}/{i}"), "event", eventSecret);
            return environment;
        }

        string[] Args(int i) => ["--urls", "http://127.0.0.1:0", "--data-dir", _dir.Combine($"data{i}"), "--verify-token", "t", "--app-secret", Secret];

        await using var instances = new Instances(i => CliProcess.StartServeAsync(Args(i), _dir.Path, EnvironmentOf(i)));
        await instances.StartAllAsync();
        Log("three instances started");
        var acknowledged = await SendToAllWhileOneIsKilledAsync(instances, async cancellationToken =>
        {
            Volatile.Write(ref armed, 1);
            await caught.Task.WaitAsync(cancellationToken);
        });
        var expected = acknowledged.Select(EventId).ToHashSet();
        var stored = await AssertEachAcknowledgedDeliveryStoredAndEachEventOnceAsync(database, acknowledged);
        Log("every acknowledged delivery stored and processed");

        // Only requests a destination answered 2xx count as delivered; the rest were retried.
        var eventKey = StandardWebhooks.ParseSecret(eventSecret);
        HashSet<string> Delivered(DestinationServer server, Func<ReceivedRequest, IEnumerable<string>> ids) =>
            server.Received.Where(r => r.Status is >= 200 and < 300).SelectMany(ids).ToHashSet();
        var drained = await WaitUntilAsync(
            async () => expected.IsSubsetOf(Delivered(metaDestination, MetaEventIds)) && expected.IsSubsetOf(Delivered(eventDestination, EventFormatId))
                && await BacklogIsDoneAsync(database, ["destination:meta-copy", "destination:event-copy"], expected.Count),
            TakeOverBound);
        Log(drained ? "every event reached its sinks; backlog drained" : "gave up waiting");

        AssertNoneMissing("the meta destination (2xx answers)", expected, Delivered(metaDestination, MetaEventIds));
        AssertNoneMissing("the event destination (2xx answers)", expected, Delivered(eventDestination, EventFormatId));
        Assert.True(drained, "The destinations' backlog did not drain: " + await BacklogAsync(database));

        // Nothing is forwarded that Meta's side did not get a 200 for and the store did not keep, and every request,
        // whatever it was answered, is signed as its format says.
        var metaRequests = metaDestination.Received;
        var eventRequests = eventDestination.Received;
        AssertOnlyExpected("the meta destination", expected, stored, metaRequests.SelectMany(MetaEventIds));
        AssertOnlyExpected("the event destination", expected, stored, eventRequests.Select(r => r.Header(StandardWebhooks.IdHeader) ?? "(no webhook-id)"));
        Assert.All(metaRequests, r => Assert.True(
            WebhookSignature.Verify(r.Body, r.Header(WebhookSignature.HeaderName), [new AppSecret(null, MetaDestinationSecret)]).IsValid,
            "A meta-format request is not signed with the destination's secret."));
        Assert.All(eventRequests, r => Assert.True(
            StandardWebhooks.Verify(eventKey, r.Header(StandardWebhooks.IdHeader)!, long.Parse(r.Header(StandardWebhooks.TimestampHeader)!, CultureInfo.InvariantCulture), r.Body, r.Header(StandardWebhooks.SignatureHeader)),
            "An event-format request does not carry a valid Standard Webhooks signature."));

        Report("meta destination", metaRequests.Where(r => r.Status is >= 200 and < 300).SelectMany(MetaEventIds).ToList(), expected.Count);
        Report("event destination", eventRequests.Where(r => r.Status is >= 200 and < 300).SelectMany(EventFormatId).ToList(), expected.Count);
    }

    [Fact]
    public async Task Three_embedding_apps_on_one_database_store_each_event_once_and_run_their_handler_for_every_event_when_one_is_killed()
    {
        var database = await postgres.CreateDatabaseAsync();

        // Each process writes its own file (a restarted one a new one), so a line cut short by the kill could never run
        // into a line of its successor. The first process of instance 0 is a slow handler (a second after writing its
        // line): killed the moment its file grows, it dies between a written line and the done mark. That work is
        // claimed under its lease and must be run again elsewhere when the lease runs out — the repeat at-least-once
        // allows — in every run, not only when the kill happens to land on it.
        var started = 0;
        Task<(CliProcess, Uri)> Start(int i)
        {
            var n = Interlocked.Increment(ref started);
            return StartInstanceHostAsync(database, _dir.Combine($"handled-{i}-{n}.txt"), handlerDelayMs: n == 1 ? 1000 : SinkLatencyMs);
        }

        int Instance0Lines() => File.Exists(_dir.Combine("handled-0-1.txt")) ? File.ReadAllText(_dir.Combine("handled-0-1.txt")).Count(c => c == '\n') : 0;

        await using var instances = new Instances(Start);
        await instances.StartAllAsync();
        Log("three instances started");
        var acknowledged = await SendToAllWhileOneIsKilledAsync(instances, async cancellationToken =>
        {
            var before = Instance0Lines();
            while (Instance0Lines() == before)
            {
                await Task.Delay(5, cancellationToken);
            }
        });
        var expected = acknowledged.Select(EventId).ToHashSet();
        var stored = await AssertEachAcknowledgedDeliveryStoredAndEachEventOnceAsync(database, acknowledged);
        Log("every acknowledged delivery stored and processed");

        var drained = await WaitUntilAsync(
            async () => expected.IsSubsetOf(HandledEventIds()) && await BacklogIsDoneAsync(database, ["handled-file"], expected.Count),
            TakeOverBound);
        Log(drained ? "every event reached its sinks; backlog drained" : "gave up waiting");

        var handled = HandledEventIds();
        AssertNoneMissing("the handler files", expected, handled);
        Assert.True(drained, "The handler's backlog did not drain: " + await BacklogAsync(database));
        AssertOnlyExpected("the handler files", expected, stored, handled);
        Report("handler", handled, expected.Count);
    }

    /// <summary>Every line the handlers wrote, across every file; a line without its newline was cut by the kill and is left out.</summary>
    private List<string> HandledEventIds() =>
        [.. Directory.GetFiles(_dir.Path, "handled-*.txt").SelectMany(f => File.ReadAllText(f).Split('\n').SkipLast(1))];

    private async Task<(CliProcess, Uri)> StartInstanceHostAsync(string database, string handledFile, int handlerDelayMs)
    {
        var process = CliProcess.StartDll(
            "WabaHooks.InstanceHost.dll",
            ["--port", "0", "--postgres", database, "--verify-token", "t", "--app-secret", Secret, "--handled-file", handledFile,
             "--handler-delay-ms", handlerDelayMs.ToString(CultureInfo.InvariantCulture)],
            _dir.Path);
        try
        {
            var line = await process.WaitForOutputAsync("Listening on ", TimeSpan.FromSeconds(60));
            return (process, new Uri(line[(line.IndexOf("http", StringComparison.Ordinal))..].Trim()));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    private static void AddDestination(Dictionary<string, string> environment, int index, string name, Uri url, string format, string secret)
    {
        var prefix = $"WABAHOOKS__DESTINATIONS__{index}__";
        environment[prefix + "NAME"] = name;
        environment[prefix + "URL"] = url.ToString();
        environment[prefix + "FORMAT"] = format;
        environment[prefix + "SECRET"] = secret;

        // Short, so a timed-out request is retried within the test, and a killed instance's claimed work (lease:
        // timeout + 30 s) is taken over as soon as it can be.
        environment[prefix + "TIMEOUT"] = "2";
        environment[prefix + "RETRY__BASEDELAY"] = "00:00:00.200";
        environment[prefix + "RETRY__MAXDELAY"] = "1";
        environment[prefix + "CIRCUITBREAKER__BREAKDURATION"] = "1";
        environment[prefix + "CIRCUITBREAKER__MAXBREAKDURATION"] = "2";
    }

    /// <summary>The ids of the events in a meta-format request: its body is a Meta envelope, split as the gateway splits one.</summary>
    private static IEnumerable<string> MetaEventIds(ReceivedRequest request)
    {
        var split = DeliverySplitter.Split(request.Body, 0);
        return split.IsSuccess ? split.Events.Select(e => e.Id) : [$"(unparseable body: {split.Error})"];
    }

    private static IEnumerable<string> EventFormatId(ReceivedRequest request) => [request.Header(StandardWebhooks.IdHeader) ?? "(no webhook-id)"];

    /// <summary>
    /// Sends every delivery, signed, spread over the three instances. Once a sixth are acknowledged and
    /// <paramref name="instance0AtWork"/> has seen instance 0 in the middle of handler or destination work, kills it with
    /// SIGKILL and starts it again; the last third of the deliveries wait for the restart, so the restarted instance
    /// receives its share too. Returns the deliveries that got a 200 (all of them, or the test fails).
    /// </summary>
    private static async Task<IReadOnlyCollection<int>> SendToAllWhileOneIsKilledAsync(Instances instances, Func<CancellationToken, Task> instance0AtWork)
    {
        var acknowledged = new ConcurrentDictionary<int, byte>();
        var acknowledgedBy = new ConcurrentDictionary<Uri, int>();
        var restarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var next = -1;
        var senders = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < Deliveries && !stop.IsCancellationRequested)
            {
                if (n >= Deliveries * 2 / 3)
                {
                    await restarted.Task.WaitAsync(stop.Token);
                }

                // Like Meta behind a load balancer: a failed send is retried, here on the next instance.
                for (var attempt = 0; attempt < 10 && !acknowledged.ContainsKey(n); attempt++)
                {
                    var body = Message(n);
                    var url = instances.Url((n + attempt) % Instances.Count);
                    using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, Secret));
                    try
                    {
                        using var response = await client.SendAsync(request, stop.Token);
                        if (response.StatusCode == HttpStatusCode.OK && acknowledged.TryAdd(n, 0))
                        {
                            acknowledgedBy.AddOrUpdate(url, 1, (_, count) => count + 1);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        // Sent to the killed instance: not acknowledged, so it is sent again.
                    }
                }
            }
        }, Ct)).ToList();

        var deadline = Stopwatch.StartNew();
        while (acknowledged.Count < KillAfter && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20, Ct);
        }

        // Instance 0 started first, so it most likely holds the processing lease and is the busiest. Bounded: if it is
        // not seen at work within 30 s it is killed anyway, and the test still checks everything but the takeover.
        using (var atWork = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            atWork.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                await instance0AtWork(atWork.Token);
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                Log("instance 0 was not seen at work within 30 s; killing it anyway");
            }
        }

        var killed = instances.Url(0);
        Log($"killing instance 0 after {acknowledged.Count} acknowledged deliveries");
        try
        {
            await instances.KillAndRestartAsync(0);
        }
        finally
        {
            // Never leave the senders waiting, whatever happened to the restart.
            restarted.TrySetResult();
        }

        Log($"instance 0 restarted; {acknowledged.Count} acknowledged so far");
        await Task.WhenAll(senders).WaitAsync(TimeSpan.FromSeconds(90), Ct);
        Log("every delivery sent; acknowledged by: " + string.Join(", ", acknowledgedBy.Select(a => $"{(a.Key == killed ? "killed " : "")}{a.Key.Authority} {a.Value}")));
        Assert.Equal(Deliveries, acknowledged.Count);
        Assert.True(acknowledgedBy.GetValueOrDefault(instances.Url(0)) > 0, "The restarted instance acknowledged no delivery.");
        return [.. acknowledged.Keys];
    }

    /// <summary>
    /// Waits (bounded) for the processor to catch up, then checks that every acknowledged delivery is stored byte for
    /// byte and that no event is stored twice. Returns the stored event ids.
    /// </summary>
    private static async Task<HashSet<string>> AssertEachAcknowledgedDeliveryStoredAndEachEventOnceAsync(string database, IReadOnlyCollection<int> acknowledged)
    {
        await using var store = new PostgresStore(new PostgresStoreOptions { ConnectionString = database });
        var expected = acknowledged.Select(EventId).ToHashSet();
        IReadOnlyList<StoredEvent> events = [];
        await WaitUntilAsync(async () =>
        {
            events = await store.ListEventsAsync(new EventQuery { Limit = 10_000 }, Ct);
            return expected.IsSubsetOf(events.Select(e => e.Id)) && (await store.ReadUnprocessedAsync(1, Ct)).Count == 0;
        }, TimeSpan.FromSeconds(30));

        Assert.Subset(events.Select(e => e.Id).ToHashSet(), expected);
        Assert.Equal(events.Count, events.Select(e => e.Id).Distinct().Count());
        Assert.Empty(await store.ReadUnprocessedAsync(10, Ct));
        var bodies = new HashSet<string>();
        foreach (var summary in await store.ListAsync(10_000, null, Ct))
        {
            bodies.Add(Encoding.UTF8.GetString((await store.GetAsync(summary.Id, Ct))!.Body.Span));
        }

        Assert.All(acknowledged, n => Assert.Contains(Encoding.UTF8.GetString(Message(n)), bodies));
        return [.. events.Select(e => e.Id)];
    }

    /// <summary>Whether each sink has nothing pending, no dead letters, and exactly one done item per event.</summary>
    private static async Task<bool> BacklogIsDoneAsync(string database, string[] sinks, int events)
    {
        await using var store = new PostgresStore(new PostgresStoreOptions { ConnectionString = database });
        var backlog = await store.GetBacklogAsync(Ct);
        return sinks.All(s => backlog.Any(b => b.Sink == s && b is { Pending: 0, Dead: 0 } && b.Done == events));
    }

    private static async Task<string> BacklogAsync(string database)
    {
        await using var store = new PostgresStore(new PostgresStoreOptions { ConnectionString = database });
        return string.Join("; ", (await store.GetBacklogAsync(Ct)).Select(b => $"{b.Sink}: pending {b.Pending}, dead {b.Dead}, done {b.Done}"));
    }

    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan bound)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > bound)
            {
                return false;
            }

            await Task.Delay(200, Ct);
        }

        return true;
    }

    private static void AssertNoneMissing(string where, IReadOnlySet<string> expected, IEnumerable<string> actual)
    {
        var missing = expected.Except(actual).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {expected.Count} acknowledged events never reached {where}, e.g. {string.Join(", ", missing.Take(5))}.");
    }

    private static void AssertOnlyExpected(string where, IReadOnlySet<string> acknowledged, IReadOnlySet<string> stored, IEnumerable<string> actual)
    {
        var unexpected = actual.Where(id => !acknowledged.Contains(id) || !stored.Contains(id)).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(unexpected.Count == 0, $"{where} got {unexpected.Count} events that were not acknowledged and stored, e.g. {string.Join(", ", unexpected.Take(5))}.");
    }

    private static void Log(string message) =>
        TestContext.Current.TestOutputHelper?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {message}");

    /// <summary>At least once allows repeats; how many there were is worth seeing, so it is written to the test output.</summary>
    private static void Report(string what, IReadOnlyCollection<string> ids, int events) =>
        Log($"{what}: {ids.Count} for {events} events, {ids.Count - ids.Distinct().Count()} repeats");

    /// <summary>
    /// Three instances as behind a load balancer: each has its current URL (a restarted one comes back on a new port),
    /// and whatever is still running at the end is killed.
    /// </summary>
    private sealed class Instances(Func<int, Task<(CliProcess Process, Uri Url)>> start) : IAsyncDisposable
    {
        public const int Count = 3;

        private readonly CliProcess?[] _processes = new CliProcess?[Count];
        private readonly Uri?[] _urls = new Uri?[Count];

        /// <summary>Where instance <paramref name="i"/> listens now; senders read it on every attempt.</summary>
        public Uri Url(int i) => Volatile.Read(ref _urls[i])!;

        public async Task StartAllAsync()
        {
            // One after another, as the first one started is the one killed: it most likely took the processing lease.
            for (var i = 0; i < Count; i++)
            {
                await StartAsync(i);
            }
        }

        /// <summary>SIGKILL — no shutdown code runs, as in a crash — then a fresh start of the same instance.</summary>
        public async Task KillAndRestartAsync(int i)
        {
            var process = _processes[i]!;
            _processes[i] = null;
            process.Kill();
            await process.DisposeAsync();
            await StartAsync(i);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var process in _processes)
            {
                if (process is not null)
                {
                    await process.DisposeAsync();
                }
            }
        }

        private async Task StartAsync(int i)
        {
            var (process, url) = await start(i);
            _processes[i] = process;
            Volatile.Write(ref _urls[i], url);
        }
    }
}
