namespace WabaHooks.Hosting.Health;

/// <summary>
/// The names and tags of the health checks <c>AddWabaHooks</c> registers, for mapping them into an application's own
/// health endpoints (for example <c>MapHealthChecks("/ready", new() { Predicate = c =&gt; c.Tags.Contains(WabaHooksHealthChecks.ReadyTag) })</c>).
/// </summary>
public static class WabaHooksHealthChecks
{
    /// <summary>The tag of checks that say whether the process is alive; a failing one means restart it.</summary>
    public const string LiveTag = "live";

    /// <summary>
    /// The tag of checks that say whether this instance should get traffic. Only the inbox and the processor can make
    /// readiness fail; the destinations and the watchdog report <c>Degraded</c> with their details, because taking this
    /// instance out of the load balancer cures neither.
    /// </summary>
    public const string ReadyTag = "ready";

    /// <summary>Always healthy while the process answers.</summary>
    public const string Live = "wabahooks-live";

    /// <summary>Unhealthy while the inbox cannot commit deliveries (each would be answered 503).</summary>
    public const string Inbox = "wabahooks-inbox";

    /// <summary>Unhealthy while the processor has made no progress for <c>Processor.StalledAfter</c>.</summary>
    public const string Processor = "wabahooks-processor";

    /// <summary>Degraded while a destination's circuit is open; its data holds each destination's circuit.</summary>
    public const string Destinations = "wabahooks-destinations";

    /// <summary>
    /// The key, in a check's <see cref="Microsoft.Extensions.Diagnostics.HealthChecks.HealthReportEntry.Data"/>, of the
    /// error behind an unhealthy check. It may name store paths and hosts, so it is shown to operators only.
    /// </summary>
    public const string DetailKey = "detail";
}
