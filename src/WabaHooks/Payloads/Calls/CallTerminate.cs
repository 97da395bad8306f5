using System.Text.Json.Serialization;

namespace WabaHooks.Payloads;

/// <summary>
/// <c>terminate</c>: a call ended for any reason (hung up, rejected, not answered in time). It may arrive before the
/// call's <c>connect</c>. <see cref="StartTime"/>, <see cref="EndTime"/> and <see cref="Duration"/> are present only
/// when the call was picked up, which is a surer sign of an answered call than <see cref="Status"/>.
/// </summary>
public sealed class CallTerminate : CallEvent
{
    /// <summary><c>COMPLETED</c>, as Meta documents it (other casings are seen; compare with <see cref="IsCompleted"/>).</summary>
    public const string Completed = "COMPLETED";

    /// <summary><c>FAILED</c>, as Meta documents it (other casings are seen; compare with <see cref="IsFailed"/>).</summary>
    public const string Failed = "FAILED";

    /// <summary>The status as sent: <see cref="Completed"/>, <see cref="Failed"/>, or another value (the set is open).</summary>
    public string? Status { get; set; }

    /// <summary>When the call was picked up.</summary>
    public DateTimeOffset? StartTime { get; set; }

    /// <summary>When the call ended.</summary>
    public DateTimeOffset? EndTime { get; set; }

    /// <summary>The call's length in seconds.</summary>
    public long? Duration { get; set; }

    /// <summary>Whether <see cref="Status"/> is <see cref="Completed"/> in any casing (Meta's samples write <c>Completed</c> too).</summary>
    [JsonIgnore]
    public bool IsCompleted => string.Equals(Status, Completed, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <see cref="Status"/> is <see cref="Failed"/> in any casing.</summary>
    [JsonIgnore]
    public bool IsFailed => string.Equals(Status, Failed, StringComparison.OrdinalIgnoreCase);
}
