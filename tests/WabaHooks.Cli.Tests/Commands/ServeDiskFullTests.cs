using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Data.Sqlite;
using WabaHooks.Signatures;
using WabaHooks.Sqlite;
using WabaHooks.Testing;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Commands;

/// <summary>
/// <c>serve</c> on SQLite when the disk fills: 503 with Retry-After (Meta retries) before the disk is full, and
/// recovery by itself once space is freed, also after a SIGKILL in the middle of the outage.
/// </summary>
public sealed class ServeDiskFullTests : IDisposable
{
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private const string Token = "disk-full-verify-token-5521";
    private const long MiB = 1024 * 1024;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(20) };
    private int _sequence;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _client.Dispose();
        _dir.Dispose();
    }

    private static HttpRequestMessage SignedPost(Uri url, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, Secret));
        return request;
    }

    /// <summary>A text message of about 8 KiB with its own wamid, so each delivery becomes an event of its own.</summary>
    private string Body()
    {
        var n = Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture);
        return $$$"""
            {"object":"whatsapp_business_account","entry":[{"id":"109876543210001","changes":[{"value":{"messaging_product":"whatsapp",
            "metadata":{"display_phone_number":"15550142233","phone_number_id":"118765432100002"},
            "messages":[{"from":"447700900456","id":"wamid.serve-disk-{{{n}}}","timestamp":"1767261601","type":"text","text":{"body":"{{{new string('x', 8 * 1024)}}}"}}]},
            "field":"messages"}]}]}
            """;
    }

    [Fact]
    public async Task The_reserve_option_reaches_the_store_and_a_reserve_larger_than_the_disk_answers_503_with_retry_after()
    {
        var (serve, callback) = await CliProcess.StartServeAsync(
            ["--urls", "http://127.0.0.1:0", "--data-dir", _dir.Combine("data"), "--verify-token", Token, "--app-secret", Secret,
             "--free-space-reserve-bytes", (long.MaxValue / 2).ToString(CultureInfo.InvariantCulture)],
            _dir.Path);
        await using (serve)
        {
            var response = await _client.SendAsync(SignedPost(callback, Encoding.UTF8.GetBytes(Body())), Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
        }
    }

    [Theory]
    [InlineData("--free-space-reserve-bytes", "-1", "Sqlite:FreeSpaceReserveBytes is -1: give the free bytes to keep")]
    [InlineData("--free-space-reserve-bytes", "64MB", "WabaHooks:Sqlite:FreeSpaceReserveBytes is '64MB': expected a whole number")]
    public async Task A_bad_reserve_stops_start_up_with_what_to_fix(string option, string value, string message)
    {
        var result = await CliProcess.RunAsync(
            ["serve", "--urls", "http://127.0.0.1:0", "--data-dir", _dir.Combine("data"), "--verify-token", Token, "--app-secret", Secret, option, value],
            _dir.Path, timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_reserve_is_read_from_the_environment_too()
    {
        var result = await CliProcess.RunAsync(
            ["serve", "--urls", "http://127.0.0.1:0", "--data-dir", _dir.Combine("data"), "--verify-token", Token, "--app-secret", Secret],
            _dir.Path, new Dictionary<string, string> { ["WABAHOOKS__SQLITE__FREESPACERESERVEBYTES"] = "-5" }, TimeSpan.FromSeconds(60));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Sqlite:FreeSpaceReserveBytes is -5: give the free bytes to keep", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_sigkill_during_a_disk_full_outage_freeing_space_resumes_ingest_and_everything_acknowledged_is_processed()
    {
        using var mount = TmpfsMount.MountOrSkip(64);

        var dataDir = mount.Combine("data");
        string[] args = ["--urls", "http://127.0.0.1:0", "--data-dir", dataDir, "--verify-token", Token, "--app-secret", Secret, "--free-space-reserve-bytes", (20 * MiB).ToString(CultureInfo.InvariantCulture)];
        var acknowledged = new ConcurrentDictionary<string, byte>();
        try
        {
            // Filled before the start: a sample of the free space is trusted for a quarter of a second away from the
            // reserve, and a filler that writes 40 MiB in less than that is faster than any real neighbour.
            // The reserve outweighs what the processor writes for the backlog it may have when ingest stops (the
            // events copy the bodies) on a slow machine, as the default 64 MiB does beside a busy gateway's backlog.
            mount.Fill("filler", leaveFreeBytes: 40 * MiB);
            var (serve, callback) = await CliProcess.StartServeAsync(args, _dir.Path);
            await using (serve)
            {
                // Load until the disk is past the reserve and the gateway answers 503, then SIGKILL it mid-outage.
                var refusals = await PostUntilRefusedAsync(callback, acknowledged);
                Assert.True(refusals > 0);
                Assert.True(mount.FreeBytes > 2 * MiB, $"{mount.FreeBytes} bytes free at the refusal: the reserve did not hold");
                serve.Kill();
                await serve.WaitForExitAsync(TimeSpan.FromSeconds(30));
            }

            Assert.True(acknowledged.Count >= 50, $"only {acknowledged.Count} deliveries were acknowledged before the disk filled");
            var (restarted, again) = await CliProcess.StartServeAsync(args, _dir.Path);
            await using (restarted)
            {
                // Still an outage after the restart: 503, never a 500, and the process stays up.
                // (A 200 is possible too: the restart's checkpoint may have given back enough to pass the reserve once.)
                var duringBody = Body();
                var during = await _client.SendAsync(SignedPost(again, Encoding.UTF8.GetBytes(duringBody)), Ct);
                Assert.True(during.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.OK, $"during the outage: {(int)during.StatusCode}");
                if (during.StatusCode == HttpStatusCode.OK)
                {
                    acknowledged.TryAdd(duringBody, 0);
                }

                // Free a few MiB: ingest resumes by itself and stays up.
                File.Delete(mount.Combine("filler"));
                mount.Fill("filler-2", leaveFreeBytes: 44 * MiB);
                var deadline = Stopwatch.StartNew();
                var accepted = 0;
                while (accepted < 100)
                {
                    Assert.True(deadline.Elapsed < Deadline, $"ingest did not resume within {Deadline}: {accepted} accepted");
                    var body = Body();
                    var response = await _client.SendAsync(SignedPost(again, Encoding.UTF8.GetBytes(body)), Ct);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        acknowledged.TryAdd(body, 0);
                        accepted++;
                    }
                    else
                    {
                        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                        await Task.Delay(50, Ct);
                    }
                }

                Assert.False(restarted.HasExited);
                await AssertAllProcessedAsync(dataDir, acknowledged.Keys);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
        }
    }

    /// <summary>Posts from 4 clients until the gateway has answered 503 a few times; returns the number of 503s.</summary>
    private async Task<int> PostUntilRefusedAsync(Uri callback, ConcurrentDictionary<string, byte> acknowledged)
    {
        var refusals = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        stop.CancelAfter(Deadline);
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && Volatile.Read(ref refusals) < 20)
            {
                var body = Body();
                HttpResponseMessage response;
                try
                {
                    response = await _client.SendAsync(SignedPost(callback, Encoding.UTF8.GetBytes(body)), stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                if (response.StatusCode == HttpStatusCode.OK)
                {
                    acknowledged.TryAdd(body, 0);
                }
                else
                {
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                    Assert.NotNull(response.Headers.RetryAfter);
                    Interlocked.Increment(ref refusals);
                }
            }
        }, Ct)).ToList();
        await Task.WhenAll(workers);
        Assert.True(refusals >= 20, $"the gateway never refused within {Deadline}: {acknowledged.Count} accepted");
        return refusals;
    }

    /// <summary>Waits, within the deadline, until every acknowledged body is stored and processed.</summary>
    private static async Task AssertAllProcessedAsync(string dataDir, ICollection<string> acknowledged)
    {
        await using var store = new SqliteStore(SqliteStoreOptions.ForDataDirectory(dataDir));
        await Await.UntilAsync(() => store.ReadUnprocessedAsync(1, Ct), unprocessed => unprocessed.Count == 0, "the processor to catch up", Deadline);

        var stored = new Dictionary<string, long>();
        foreach (var summary in await store.ListAsync(100_000, null, Ct))
        {
            var delivery = await store.GetAsync(summary.Id, Ct);
            stored[Encoding.UTF8.GetString(delivery!.Body.Span)] = summary.Id;
        }

        var missing = acknowledged.Where(b => !stored.ContainsKey(b)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} acknowledged deliveries were lost");
        var processed = (await store.ListDeliveryOutcomesAsync(100_000, null, Ct)).Select(o => o.DeliveryId).ToHashSet();
        Assert.All(acknowledged, b => Assert.Contains(stored[b], processed));
    }
}
