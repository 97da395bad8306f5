using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Testing.Destinations;

namespace WabaHooks.AspNetCore.Tests.Destinations;

/// <summary>Destination settings for tests: quick retries and short pauses, so failures resolve within seconds.</summary>
internal static class Destinations
{
    public static DestinationOptions Meta(string name, DestinationServer server, Action<DestinationOptions>? configure = null) =>
        Create(name, server, DestinationFormat.Meta, Received.MetaSecret, configure);

    public static DestinationOptions Event(string name, DestinationServer server, Action<DestinationOptions>? configure = null) =>
        Create(name, server, DestinationFormat.Event, Received.EventSecret, configure);

    public static Task<TestGateway> StartGatewayAsync(string dataDir, params DestinationOptions[] destinations) =>
        TestGateway.StartAsync(
            dataDir,
            _ => { },
            hooks =>
            {
                foreach (var destination in destinations)
                {
                    hooks.AddDestination(destination);
                }
            });

    private static DestinationOptions Create(string name, DestinationServer server, DestinationFormat format, string secret, Action<DestinationOptions>? configure)
    {
        var destination = new DestinationOptions { Name = name, Url = server.Url, Format = format, Secret = secret, Timeout = TimeSpan.FromSeconds(5), PollInterval = TimeSpan.FromMilliseconds(20) };
        destination.Retry.BaseDelay = TimeSpan.FromMilliseconds(50);
        destination.Retry.MaxDelay = TimeSpan.FromMilliseconds(300);
        destination.CircuitBreaker.BreakDuration = TimeSpan.FromMilliseconds(200);
        destination.CircuitBreaker.MaxBreakDuration = TimeSpan.FromMilliseconds(400);
        configure?.Invoke(destination);
        return destination;
    }
}
