namespace WabaHooks.Hosting.Destinations;

/// <summary>
/// Sends one configured destination a test in its format, through the same transport and rules the gateway sends
/// with (the named HTTP client; for a broker, its connection, checked first as at start-up): what
/// <c>wabahooks destinations test</c>, <c>doctor</c>, the admin API and the dashboard's Test button do.
/// </summary>
public sealed class DestinationTester
{
    private readonly IReadOnlyList<DestinationOptions> _destinations;
    private readonly DestinationTransports _transports;

    internal DestinationTester(IEnumerable<DestinationOptions> destinations, DestinationTransports transports)
    {
        _destinations = [.. destinations];
        _transports = transports;
    }

    /// <summary>Tests the destination named <paramref name="name"/> (<c>crm</c> or its sink name <c>destination:crm</c>).</summary>
    /// <param name="name">The destination's name.</param>
    /// <param name="cancellationToken">Aborts the test.</param>
    /// <returns>The destination's answer: status or broker confirmation, latency, and the start of the answer.</returns>
    /// <exception cref="ArgumentException">No destination of that name is configured.</exception>
    /// <exception cref="InvalidOperationException">A broker said what the destination publishes to does not exist.</exception>
    public async Task<DestinationResponse> TestAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var destination = _destinations.FirstOrDefault(d => d.Name == name || d.SinkName == name)
            ?? throw new ArgumentException($"No destination named '{name}' is configured.", nameof(name));
        var transport = _transports.Create(destination);
        await using (transport.ConfigureAwait(false))
        {
            await transport.StartAsync(cancellationToken).ConfigureAwait(false);
            return await transport.SendTestAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
