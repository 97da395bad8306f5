using WabaHooks.Cli.Output;
using WabaHooks.Signatures;

namespace WabaHooks.Cli.Checks;

/// <summary>Posts prepared notifications, signed and marked as tests, with a fixed number in flight, as Meta delivers concurrently.</summary>
internal static class NotificationBurst
{
    public static async Task<EndpointAnswer[]> SendAsync(
        EndpointProbe probe,
        Uri url,
        IReadOnlyList<byte[]> bodies,
        AppSecret secret,
        int concurrency,
        ProgressLine? progress,
        CancellationToken cancellationToken)
    {
        var answers = new EndpointAnswer[bodies.Count];
        var next = -1;
        async Task WorkAsync()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Count)
            {
                var body = bodies[i];
                answers[i] = await probe.PostSignedAsync(url, body, secret, cancellationToken).ConfigureAwait(false);
                progress?.Advance();
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Clamp(concurrency, 1, Math.Max(1, bodies.Count))).Select(_ => WorkAsync())).ConfigureAwait(false);
        progress?.Complete();
        return answers;
    }
}
