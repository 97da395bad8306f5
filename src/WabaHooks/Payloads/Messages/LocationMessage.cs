namespace WabaHooks.Payloads;

/// <summary>A <c>location</c> message.</summary>
public sealed class LocationMessage : InboundMessage
{
    /// <summary>The location.</summary>
    public Location? Location { get; set; }
}

/// <summary><c>location</c>.</summary>
public sealed class Location : PayloadObject
{
    /// <summary>Latitude in degrees.</summary>
    public double Latitude { get; set; }

    /// <summary>Longitude in degrees.</summary>
    public double Longitude { get; set; }

    /// <summary>The place name.</summary>
    public string? Name { get; set; }

    /// <summary>The address.</summary>
    public string? Address { get; set; }

    /// <summary>A URL, usually only for business locations.</summary>
    public string? Url { get; set; }
}
