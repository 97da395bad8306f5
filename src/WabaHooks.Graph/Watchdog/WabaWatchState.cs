namespace WabaHooks.Graph.Watchdog;

/// <summary>What the watchdog knows about one WABA. Guarded by the watchdog's lock.</summary>
internal sealed class WabaWatchState(string wabaId)
{
    public string WabaId { get; } = wabaId;

    /// <summary>Null until the first successful check.</summary>
    public bool? Subscribed { get; set; }

    public DateTimeOffset? CheckedAt { get; set; }

    public string? CheckError { get; set; }

    public string? ActivityError { get; set; }

    public DateTimeOffset? LastEventAt { get; set; }

    /// <summary>Events stored at or after this time have not been read yet; null before the first read.</summary>
    public DateTimeOffset? ReadUpTo { get; set; }

    public Dictionary<string, DateTimeOffset> PhoneNumbers { get; } = new(StringComparer.Ordinal);

    public void Saw(string? phoneNumberId, DateTimeOffset storedAt)
    {
        if (LastEventAt is null || storedAt > LastEventAt)
        {
            LastEventAt = storedAt;
        }

        if (phoneNumberId is not null && (!PhoneNumbers.TryGetValue(phoneNumberId, out var last) || storedAt > last))
        {
            PhoneNumbers[phoneNumberId] = storedAt;
        }
    }
}
