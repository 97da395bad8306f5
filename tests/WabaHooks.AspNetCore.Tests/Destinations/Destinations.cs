using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;

namespace WabaHooks.AspNetCore.Tests.Destinations;

/// <summary>Destination settings for tests: quick retries and short pauses, so failures resolve within seconds.</summary>
internal static class Destinations
{
    public static DestinationOptions Meta(string name, DestinationServer server, Action<DestinationOptions>? configure = null) =>
        Create(name, server, DestinationFormat.Meta, Received.MetaSecret, configure);

    public static DestinationOptions Event(string name, DestinationServer server, Action<DestinationOptions>? configure = null) =>
        Create(name, server, DestinationFormat.Event, Received.EventSecret, configure);

    /// <summary>How often a destination's loop looks for due work when nothing wakes it.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    public static Task<TestGateway> StartGatewayAsync(string dataDir, params DestinationOptions[] destinations) =>
        StartGatewayAsync(dataDir, clock: null, destinations);

    /// <summary>A gateway with these destinations, on <paramref name="clock"/> when one is given.</summary>
    public static Task<TestGateway> StartGatewayAsync(string dataDir, TestClock? clock, params DestinationOptions[] destinations) =>
        TestGateway.StartAsync(
            dataDir,
            _ => { },
            hooks =>
            {
                foreach (var destination in destinations)
                {
                    hooks.AddDestination(destination);
                }
            },
            clock: clock);

    private static DestinationOptions Create(string name, DestinationServer server, DestinationFormat format, string secret, Action<DestinationOptions>? configure)
    {
        var destination = new DestinationOptions { Name = name, Url = server.Url, Format = format, Secret = secret, Timeout = TimeSpan.FromSeconds(5), PollInterval = PollInterval };
        destination.Retry.BaseDelay = TimeSpan.FromMilliseconds(50);
        destination.Retry.MaxDelay = TimeSpan.FromMilliseconds(300);
        destination.CircuitBreaker.BreakDuration = TimeSpan.FromMilliseconds(200);
        destination.CircuitBreaker.MaxBreakDuration = TimeSpan.FromMilliseconds(400);
        configure?.Invoke(destination);
        return destination;
    }
}
