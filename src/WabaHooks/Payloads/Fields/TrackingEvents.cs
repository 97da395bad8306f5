namespace WabaHooks.Payloads;

/// <summary>
/// <c>tracking_events</c>: click tracking of marketing messages. The splitter gives one event per
/// <see cref="TrackingEvent"/>; this whole value is the payload only when it holds none.
/// </summary>
public sealed class TrackingEventsUpdate : FieldValue, IPhoneNumberValue
{
    /// <summary>Always <c>whatsapp</c>.</summary>
    public string? MessagingProduct { get; set; }

    /// <inheritdoc />
    public Metadata? Metadata { get; set; }

    /// <summary>The tracked events.</summary>
    public IReadOnlyList<TrackingEvent>? Events { get; set; }
}

/// <summary><c>events[]</c> of <c>tracking_events</c>.</summary>
public sealed class TrackingEvent : PayloadObject
{
    /// <summary>What happened, for example <c>sent</c>; keep it open.</summary>
    public string? EventName { get; set; }

    /// <summary>When it happened.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The click and the token that tie it to a sent message.</summary>
    public TrackingData? TrackingData { get; set; }
}

/// <summary><c>tracking_data</c>.</summary>
public sealed class TrackingData : PayloadObject
{
    /// <summary>The click ID.</summary>
    public string? ClickId { get; set; }

    /// <summary>The tracking token set on the message.</summary>
    public string? TrackingToken { get; set; }
}
