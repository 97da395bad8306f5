using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using WabaHooks.Signatures;
using WabaHooks.Storage;

namespace WabaHooks.Testing.Fuzzing;

/// <summary>What a fuzz run saw; <see cref="Failures"/> is empty when every property held.</summary>
public sealed class FuzzReport
{
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ConcurrentDictionary<string, int> _failuresByKind = new();
    private int _failureCount;
    private long _mutateTicks;

    /// <summary>Answers by HTTP status (0: the request failed without an answer).</summary>
    public ConcurrentDictionary<int, int> Answers { get; } = new();

    public int Posted { get; set; }

    public int Stored { get; set; }

    public int Processed { get; set; }

    public int Failed { get; set; }

    public int Unprocessed { get; set; }

    public int Events { get; set; }

    public int Narrowed { get; set; }

    public int Narrowings { get; set; }

    public TimeSpan PostDuration { get; set; }

    /// <summary>Of <see cref="PostDuration"/>, summed over the connections: the time spent making the bodies.</summary>
    public TimeSpan MutateDuration => TimeSpan.FromTicks(Interlocked.Read(ref _mutateTicks));

    public TimeSpan ProcessDuration { get; set; }

    public TimeSpan NarrowDuration { get; set; }

    public TimeSpan? GoodDeliveryLatency { get; set; }

    /// <summary>How many properties failed, counting those not kept in <see cref="Failures"/>.</summary>
    public int FailureCount => _failureCount;

    /// <summary>The first failures of each kind, each with the reason and what reproduces it.</summary>
    public IReadOnlyList<string> Failures => [.. _failures];

    /// <summary>How many failures of each kind (an answer, processing, narrowing, a log line).</summary>
    public IReadOnlyDictionary<string, int> FailuresByKind => _failuresByKind;

    public void AddMutateTime(TimeSpan elapsed) => Interlocked.Add(ref _mutateTicks, elapsed.Ticks);

    public void Fail(string kind, string reason)
    {
        Interlocked.Increment(ref _failureCount);
        // Keep a few of each kind in full: one reproduction is enough to start from, and thousands of bodies are not;
        // per kind, so a flood of one defect does not hide another.
        if (_failuresByKind.AddOrUpdate(kind, 1, (_, n) => n + 1) <= 5)
        {
            _failures.Enqueue($"[{kind}] {reason}");
        }
    }

    public string Summary() =>
        $"posted {Posted} in {PostDuration.TotalSeconds:0.0} s (making them: {MutateDuration.TotalSeconds:0.0} s); answers {string.Join(", ", Answers.OrderBy(a => a.Key).Select(a => $"{a.Key}: {a.Value}"))}; " +
        $"stored {Stored}; processed {Processed}, failed with a reason {Failed}, unprocessed {Unprocessed} ({ProcessDuration.TotalSeconds:0.0} s); " +
        $"events {Events}; narrowing: {Narrowings} envelopes from {Narrowed} deliveries ({NarrowDuration.TotalSeconds:0.0} s); " +
        $"good delivery after them: {(GoodDeliveryLatency is { } l ? $"processed in {l.TotalMilliseconds:0} ms" : "NOT processed")}; " +
        $"failures {FailureCount}{(FailureCount == 0 ? "" : " (" + string.Join(", ", FailuresByKind.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}: {k.Value}")) + ")")}";
}

/// <summary>
/// Drives a running gateway with mutated, correctly signed bodies and checks the whole pipeline held: every body
/// answered 200 (413 only when over the limit) and stored, every delivery given an outcome by the processor, envelope
/// narrowing sound over every split, and a good delivery posted afterwards processed within seconds.
/// </summary>
/// <remarks>Shared by the CI test and <c>bench/fuzz.sh</c> (linked into the load harness), so both fuzz the same way.</remarks>
public sealed class PipelineFuzzer(Uri webhookUrl, string appSecret, IWabaHooksStore store, PayloadMutator mutator, long maxBodyBytes)
{
    private readonly ConcurrentDictionary<string, int> _caseByBody = new();

    public FuzzReport Report { get; } = new();

    /// <summary>Posts cases <c>0 .. count-1</c> over <paramref name="connections"/> concurrent connections.</summary>
    public async Task PostAsync(int count, int connections, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var next = -1;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                var fuzzCase = mutator.Make(index);
                Report.AddMutateTime(Stopwatch.GetElapsedTime(started));
                await PostOneAsync(client, fuzzCase, cancellationToken).ConfigureAwait(false);
            }
        });
        await Task.WhenAll(workers).ConfigureAwait(false);
        Report.PostDuration = clock.Elapsed;
        Report.Posted = count;
    }

    private async Task PostOneAsync(HttpClient client, FuzzCase fuzzCase, CancellationToken cancellationToken)
    {
        var oversized = fuzzCase.Body.Length > maxBodyBytes;
        if (!oversized)
        {
            _caseByBody.TryAdd(Fingerprint(fuzzCase.Body), fuzzCase.Index);
        }

        int status;
        try
        {
            using var response = await client.SendAsync(SignedPost(fuzzCase.Body), cancellationToken).ConfigureAwait(false);
            status = (int)response.StatusCode;
        }
        catch (HttpRequestException ex) when (oversized)
        {
            // Kestrel may close the connection on an oversized body before the client has sent it all: also a refusal.
            _ = ex;
            status = 413;
        }
        catch (HttpRequestException ex)
        {
            Report.Answers.AddOrUpdate(0, 1, (_, n) => n + 1);
            Report.Fail("answer", $"no answer ({ex.Message}) for {fuzzCase.Describe()}");
            return;
        }

        Report.Answers.AddOrUpdate(status, 1, (_, n) => n + 1);
        var expected = oversized ? 413 : 200;
        if (status != expected)
        {
            Report.Fail("answer", $"answered {status}, expected {expected}, for {fuzzCase.Describe()}");
        }
    }

    /// <summary>
    /// Waits, bounded by <paramref name="timeout"/>, until the processor has given every stored delivery an outcome;
    /// then checks that every accepted body was stored.
    /// </summary>
    public async Task WaitForProcessingAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while ((await store.ReadUnprocessedAsync(1, cancellationToken).ConfigureAwait(false)).Count > 0 && clock.Elapsed < timeout)
        {
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        Report.ProcessDuration = clock.Elapsed;
        var deliveries = await CountDeliveriesAsync(cancellationToken).ConfigureAwait(false);
        Report.Stored = deliveries;
        var accepted = Report.Answers.GetValueOrDefault(200);
        if (deliveries != accepted)
        {
            Report.Fail("stored", $"{accepted} bodies answered 200 but {deliveries} deliveries stored");
        }

        long? before = null;
        while (true)
        {
            var page = await store.ListDeliveryOutcomesAsync(5000, before, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                break;
            }

            foreach (var outcome in page)
            {
                if (outcome.ParseError is null)
                {
                    Report.Processed++;
                }
                else
                {
                    Report.Failed++;
                }

                Report.Events += outcome.Events;
            }

            before = page[^1].DeliveryId;
        }

        var unprocessed = await store.ReadUnprocessedAsync(20_000_000, cancellationToken).ConfigureAwait(false);
        Report.Unprocessed = unprocessed.Count;
        if (unprocessed.Count > 0)
        {
            var first = unprocessed[0];
            Report.Fail("processing", $"{unprocessed.Count} deliveries left unprocessed after {timeout.TotalSeconds:0} s; the first, delivery {first.Id}, is {Identify(first.Body.ToArray())}");
        }
    }

    /// <summary>
    /// Splits every stored delivery again and narrows it to several subsets of its events the way a destination in
    /// Meta's format does (<see cref="Forwarding.MetaEnvelope.Narrow"/>), and writes each event as the event format does;
    /// see <see cref="NarrowingCheck"/> for what must hold.
    /// </summary>
    public async Task CheckNarrowingAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long after = 0;
        while (true)
        {
            var page = await store.ReadAfterAsync(after, 500, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                break;
            }

            foreach (var delivery in page)
            {
                var body = delivery.Body.ToArray();
                var (envelopes, failure) = NarrowingCheck.Run(body, delivery.Id);
                if (envelopes > 0)
                {
                    Report.Narrowed++;
                    Report.Narrowings += envelopes;
                }

                if (failure is not null)
                {
                    // The splitter throwing is its own defect (it promises never to), whichever body it was given.
                    Report.Fail(failure.StartsWith("DeliverySplitter.Split threw", StringComparison.Ordinal) ? "splitter" : "narrowing", $"delivery {delivery.Id}: {failure}; {Identify(body)}");
                }
            }

            after = page[^1].Id;
        }

        Report.NarrowDuration = clock.Elapsed;
    }

    /// <summary>Posts a good, new delivery and waits (bounded) until its event is stored.</summary>
    public async Task CheckGoodDeliveryAsync(byte[] textMessageTemplate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var wamid = $"wamid.fuzz-after-{Guid.NewGuid():N}";
        var body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(textMessageTemplate).Replace("\"wamid.", $"\"{wamid}-", StringComparison.Ordinal));
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await client.SendAsync(SignedPost(body), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Report.Fail("good delivery", $"the good delivery after the fuzzed ones was answered {(int)response.StatusCode}");
            return;
        }

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var events = await store.ListEventsAsync(new EventQuery { Limit = 5 }, cancellationToken).ConfigureAwait(false);
            if (events.Any(e => e.Id.StartsWith("msg:" + wamid, StringComparison.Ordinal)))
            {
                Report.GoodDeliveryLatency = clock.Elapsed;
                return;
            }

            await Task.Delay(25, cancellationToken).ConfigureAwait(false);
        }

        Report.Fail("good delivery", $"a good delivery posted after the fuzzed ones ({wamid}) was not processed within {timeout.TotalSeconds:0} s");
    }

    private HttpRequestMessage SignedPost(byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, webhookUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, appSecret));
        return request;
    }

    private async Task<int> CountDeliveriesAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        long? before = null;
        while (true)
        {
            var page = await store.ListAsync(5000, before, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                return count;
            }

            count += page.Count;
            before = page[^1].Id;
        }
    }

    private string Identify(byte[] body) =>
        _caseByBody.TryGetValue(Fingerprint(body), out var index)
            ? mutator.Make(index).Describe()
            : $"a body from no case of this run (base64): {Convert.ToBase64String(body)}";

    private static string Fingerprint(byte[] body) => Convert.ToHexString(SHA256.HashData(body));
}
