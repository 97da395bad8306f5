namespace WabaHooks.Hosting.Destinations;

/// <summary>Settings shared by every destination's dispatch loop.</summary>
public sealed class DestinationDispatchOptions
{
    /// <summary>
    /// How often each destination looks for due work (retries coming due, work stored by another process, the end of
    /// a pause). New events stored by this process wake destinations at once. Default 250 milliseconds.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
