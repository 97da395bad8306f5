using System.Diagnostics;
using WabaHooks.Diagnostics;

namespace WabaHooks.Hosting.Diagnostics;

/// <summary>
/// WabaHooks' one <see cref="ActivitySource"/>, and the spans of sink work. Every start returns <see langword="null"/>
/// when nothing listens, and callers then do nothing more, so an untraced gateway pays one check per span.
/// </summary>
internal static class WabaHooksActivities
{
    /// <summary>The source every WabaHooks span comes from.</summary>
    public static readonly ActivitySource Source = new(WabaHooksTelemetry.ActivitySourceName);

    /// <summary>The receive span's name; its attributes are <see cref="DeliveryId"/> and <see cref="AppId"/>.</summary>
    public const string Receive = "wabahooks receive";

    /// <summary>The inbox sequence number of a delivery.</summary>
    public const string DeliveryId = "wabahooks.delivery.id";

    /// <summary>The app whose secret verified a delivery.</summary>
    public const string AppId = "wabahooks.app.id";

    /// <summary>
    /// Starts the span of one attempt to hand events to a sink, named and tagged after OpenTelemetry's messaging
    /// conventions and linked to the span that received their delivery.
    /// </summary>
    /// <param name="operation">The messaging operation type: <c>send</c> for a destination, <c>process</c> for a handler.</param>
    /// <param name="kind">Producer for a send, consumer for a process.</param>
    /// <param name="sink">The destination's or handler's name.</param>
    /// <param name="eventIds">The idempotency keys of the events in the attempt (one, or a Meta envelope's several).</param>
    /// <param name="deliveryId">The delivery they came in.</param>
    /// <param name="attempt">1 for the first attempt.</param>
    /// <param name="traceParent">The context stored with the delivery, if any.</param>
    public static Activity? StartSinkAttempt(
        string operation, ActivityKind kind, string sink, IReadOnlyList<string> eventIds, long deliveryId, int attempt, string? traceParent)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity($"{operation} {sink}", kind, parentContext: default, links: TraceLinks.To([traceParent]));
        if (activity is null)
        {
            return null;
        }

        activity.SetTag("messaging.system", "wabahooks");
        activity.SetTag("messaging.operation.type", operation);
        activity.SetTag("messaging.destination.name", sink);
        if (eventIds.Count == 1)
        {
            activity.SetTag("messaging.message.id", eventIds[0]);
        }
        else
        {
            activity.SetTag("messaging.batch.message_count", eventIds.Count);
        }

        activity.SetTag(DeliveryId, deliveryId);
        activity.SetTag("wabahooks.attempt", attempt);
        return activity;
    }
}
