using System.Diagnostics;
using WabaHooks.Diagnostics;
using WabaHooks.Storage;

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
    /// <param name="first">The (first) claimed work item: its event, delivery and attempt count.</param>
    /// <param name="events">How many events the attempt carries: one, or a Meta envelope's several from one delivery.</param>
    /// <param name="traceParent">The context stored with the delivery, if any.</param>
    public static Activity? StartSinkAttempt(string operation, ActivityKind kind, string sink, SinkWorkItem first, int events, string? traceParent)
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
        if (events == 1)
        {
            activity.SetTag("messaging.message.id", first.EventId);
        }
        else
        {
            // Several events in one request have no single id: the conventions' batch count stands instead.
            activity.SetTag("messaging.batch.message_count", events);
        }

        activity.SetTag(DeliveryId, first.DeliveryId);
        activity.SetTag("wabahooks.attempt", first.Attempts + 1);
        return activity;
    }
}
