namespace WabaHooks.Hosting.Destinations;

/// <summary>
/// When a destination that keeps failing is paused. While paused, nothing is sent to it; after the pause one request
/// probes it: success resumes normal sending, failure pauses it again for twice as long, up to
/// <see cref="MaxBreakDuration"/>. Events wait meanwhile, within their retry window.
/// </summary>
public sealed class DestinationCircuitOptions
{
    /// <summary>Failed requests in a row that pause the destination. Default 5.</summary>
    public int FailureThreshold { get; set; } = 5;

    /// <summary>The first pause. Default 30 seconds.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest pause. Default 10 minutes.</summary>
    public TimeSpan MaxBreakDuration { get; set; } = TimeSpan.FromMinutes(10);
}
