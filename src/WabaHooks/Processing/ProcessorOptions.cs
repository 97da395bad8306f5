namespace WabaHooks.Processing;

/// <summary>How the processor walks the inbox.</summary>
public sealed class ProcessorOptions
{
    /// <summary>Most deliveries split and committed in one transaction. Default 256.</summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>
    /// How long a caught-up processor that has just processed deliveries lets new ones gather before its next batch: while
    /// traffic flows, events are stored up to this much later and each commit carries many deliveries. A processor woken
    /// from idle by a commit does not wait. Default 25 milliseconds.
    /// </summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(25);

    /// <summary>How often an idle processor looks for new deliveries it was not told about. Default 1 second.</summary>
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to wait before trying again after the store failed. Default 2 seconds.</summary>
    public TimeSpan ErrorBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long the processor may fail without progress before readiness reports it stalled: deliveries are still
    /// acknowledged, but nothing is handled or forwarded. Default 1 minute, long enough to ride out a brief lock or
    /// restart of the database without flapping.
    /// </summary>
    public TimeSpan StalledAfter { get; set; } = TimeSpan.FromMinutes(1);
}
