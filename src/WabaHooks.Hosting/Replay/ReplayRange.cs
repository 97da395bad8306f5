namespace WabaHooks.Hosting.Replay;

/// <summary>Which stored events a replay considers; each condition left null matches everything.</summary>
public sealed record ReplayRange
{
    /// <summary>Only events stored at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only events stored before this time. Events stored once the selection has begun are never taken.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Only this field.</summary>
    public string? Field { get; init; }

    /// <summary>Only this type name, or the types under a prefix ending in <c>.*</c> (<c>statuses.*</c>), as in a destination filter.</summary>
    public string? Type { get; init; }

    /// <summary>Only this WABA (<c>entry.id</c>).</summary>
    public string? WabaId { get; init; }

    /// <summary>Only this phone number id.</summary>
    public string? PhoneNumberId { get; init; }
}
