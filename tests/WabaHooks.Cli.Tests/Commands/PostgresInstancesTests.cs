using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using WabaHooks.Postgres;
using WabaHooks.Signatures;
using WabaHooks.Storage;
using WabaHooks.Testing;
using WabaHooks.Testing.Processes;
using WabaHooks.Testing.Storage;

namespace WabaHooks.Cli.Tests.Commands;

public sealed class PostgresInstancesTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IDisposable
{
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private const int Deliveries = 600;
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    private static byte[] Message(int n) => Encoding.UTF8.GetBytes(
        $$$"""{"object":"whatsapp_business_account","entry":[{"id":"109876543210001","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550142233","phone_number_id":"118765432100002"},"messages":[{"from":"447700900456","id":"wamid.multi-{{{n}}}","timestamp":"1767261601","type":"text","text":{"body":"n"}}]}}]}]}""");

    [Fact]
    public async Task Three_instances_on_one_database_lose_nothing_when_one_is_killed_and_store_each_event_once()
    {
        var database = await postgres.CreateDatabaseAsync();
        var environment = new Dictionary<string, string> { ["WABAHOOKS__POSTGRES"] = database };
        string[] Args(int i) => ["--urls", "http://127.0.0.1:0", "--data-dir", _dir.Combine($"data{i}"), "--verify-token", "t", "--app-secret", Secret];
        var instances = new CliProcess[3];
        var callbacks = new Uri[3];
        for (var i = 0; i < 3; i++)
        {
            (instances[i], callbacks[i]) = await CliProcess.StartServeAsync(Args(i), _dir.Path, environment);
        }

        var acknowledged = new ConcurrentDictionary<int, byte>();
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            var next = -1;
            var senders = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
            {
                int n;
                while ((n = Interlocked.Increment(ref next)) < Deliveries && !stop.IsCancellationRequested)
                {
                    // Like Meta behind a load balancer: a failed send is retried, here on the next instance.
                    for (var attempt = 0; attempt < 10 && !acknowledged.ContainsKey(n); attempt++)
                    {
                        var body = Message(n);
                        var request = new HttpRequestMessage(HttpMethod.Post, Volatile.Read(ref callbacks[(n + attempt) % 3])) { Content = new ByteArrayContent(body) };
                        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, Secret));
                        try
                        {
                            if ((await client.SendAsync(request, stop.Token)).StatusCode == HttpStatusCode.OK)
                            {
                                acknowledged.TryAdd(n, 0);
                            }
                        }
                        catch (HttpRequestException)
                        {
                            // Sent to the killed instance: not acknowledged, so it is sent again.
                        }
                    }
                }
            }, Ct)).ToList();

            // The first instance started first, so it most likely holds the processing lease: kill it mid-run.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (acknowledged.Count < 200 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20, Ct);
            }

            instances[0].Kill();
            await instances[0].DisposeAsync();
            (instances[0], callbacks[0]) = await CliProcess.StartServeAsync(Args(0), _dir.Path, environment);
            await Task.WhenAll(senders).WaitAsync(TimeSpan.FromSeconds(90), Ct);

            await using var store = new PostgresStore(new PostgresStoreOptions { ConnectionString = database });
            var expected = acknowledged.Keys.Select(n => $"msg:wamid.multi-{n}").ToHashSet();
            IReadOnlyList<StoredEvent> events = [];
            var until = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < until)
            {
                events = await store.ListEventsAsync(new EventQuery { Limit = 10_000 }, Ct);
                if (expected.IsSubsetOf(events.Select(e => e.Id)) && (await store.ReadUnprocessedAsync(1, Ct)).Count == 0)
                {
                    break;
                }

                await Task.Delay(100, Ct);
            }

            Assert.Equal(Deliveries, acknowledged.Count);
            Assert.Subset(events.Select(e => e.Id).ToHashSet(), expected);
            Assert.Equal(events.Count, events.Select(e => e.Id).Distinct().Count());
            Assert.Empty(await store.ReadUnprocessedAsync(10, Ct));
            var bodies = new HashSet<string>();
            foreach (var summary in await store.ListAsync(10_000, null, Ct))
            {
                bodies.Add(Encoding.UTF8.GetString((await store.GetAsync(summary.Id, Ct))!.Body.Span));
            }

            Assert.All(acknowledged.Keys, n => Assert.Contains(Encoding.UTF8.GetString(Message(n)), bodies));
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }
}
