using System.Collections.Concurrent;
using System.Diagnostics;

namespace WabaHooks.AspNetCore.Tests.Telemetry;

/// <summary>
/// Records every stopped activity of WabaHooks' source and of ASP.NET Core's and HttpClient's, with all data. The listener is
/// process-wide, so tests pick their own spans out by trace id or link rather than by count.
/// </summary>
internal sealed class ActivityCollector : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public ActivityCollector()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "WabaHooks" or "Microsoft.AspNetCore" or "System.Net.Http",
            Sample = static (ref _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<Activity> Stopped => [.. _stopped];

    /// <summary>Stopped activities that link to <paramref name="context"/>.</summary>
    public IReadOnlyList<Activity> LinkedTo(ActivityContext context) =>
        [.. _stopped.Where(a => a.Links.Any(l => l.Context.TraceId == context.TraceId && l.Context.SpanId == context.SpanId))];

    public void Dispose() => _listener.Dispose();
}
