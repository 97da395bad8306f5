namespace WabaHooks.Payloads;

/// <summary>A <c>location</c> message.</summary>
public sealed class LocationMessage : InboundMessage
{
    /// <summary>The location.</summary>
    public Location? Location { get; init; }
}

/// <summary><c>location</c>.</summary>
public sealed class Location : PayloadObject
{
    /// <summary>Latitude in degrees.</summary>
    public double Latitude { get; init; }

    /// <summary>Longitude in degrees.</summary>
    public double Longitude { get; init; }

    /// <summary>The place name.</summary>
    public string? Name { get; init; }

    /// <summary>The address.</summary>
    public string? Address { get; init; }

    /// <summary>A URL, usually only for business locations.</summary>
    public string? Url { get; init; }
}
