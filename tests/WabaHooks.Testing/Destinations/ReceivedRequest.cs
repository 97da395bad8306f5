namespace WabaHooks.Testing.Destinations;

/// <summary>One request a <see cref="DestinationServer"/> received, whatever it answered.</summary>
/// <param name="At">When it arrived.</param>
/// <param name="Path">The request path.</param>
/// <param name="Headers">Its headers, names in lower case.</param>
/// <param name="Body">The exact body bytes.</param>
/// <param name="Status">What the server answered; 0 when it hung until the client gave up.</param>
public sealed record ReceivedRequest(DateTimeOffset At, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, int Status)
{
    /// <summary>A header's value, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
}
