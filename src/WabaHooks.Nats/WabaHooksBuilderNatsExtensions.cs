using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WabaHooks.Hosting;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Nats;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds NATS JetStream destinations: <c>"Kind": "nats"</c> in the <c>Destinations</c> list.</summary>
public static class WabaHooksBuilderNatsExtensions
{
    /// <summary>The value of <see cref="DestinationOptions.Kind"/> for NATS.</summary>
    public const string Kind = "nats";

    /// <summary>
    /// Lets destinations of kind <c>nats</c> publish to NATS JetStream (see <see cref="NatsDestinationOptions"/> for
    /// their own settings: <c>Subject</c>, <c>UserName</c>, <c>Password</c>, <c>Token</c>), with the same filters, retries,
    /// circuit breaker, dead letters and replay as HTTP destinations.
    /// </summary>
    /// <param name="builder">The builder from <c>AddWabaHooks</c>.</param>
    public static WabaHooksBuilder AddNatsDestinations(this WabaHooksBuilder builder) =>
        builder.AddDestinationKind<NatsDestinationOptions>(Kind, static (services, destination, nats) => new NatsTransport(
            destination,
            nats,
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetService<ILoggerFactory>()?.CreateLogger("WabaHooks.Nats") ?? NullLogger.Instance));

    /// <summary>Adds one NATS JetStream destination in code.</summary>
    /// <param name="builder">The builder from <c>AddWabaHooks</c>.</param>
    /// <param name="name">Its stable name.</param>
    /// <param name="url">The server: <c>nats://host:4222</c>.</param>
    /// <param name="configure">Sets the format, filters, limits and retry policy.</param>
    /// <param name="configureNats">Sets the subject and credentials.</param>
    /// <exception cref="ArgumentException">The settings are not valid, or the name is taken.</exception>
    public static WabaHooksBuilder AddNatsDestination(
        this WabaHooksBuilder builder, string name, Uri url, Action<DestinationOptions>? configure = null, Action<NatsDestinationOptions>? configureNats = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddNatsDestinations();
        if (configureNats is not null)
        {
            builder.Services.Configure(name, configureNats);
        }

        var destination = new DestinationOptions { Name = name, Url = url, Kind = Kind };
        configure?.Invoke(destination);
        return builder.AddDestination(destination);
    }
}
