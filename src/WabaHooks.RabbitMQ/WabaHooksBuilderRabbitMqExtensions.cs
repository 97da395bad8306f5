using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WabaHooks.Hosting;
using WabaHooks.Hosting.Destinations;
using WabaHooks.RabbitMQ;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds RabbitMQ destinations: <c>"Kind": "rabbitmq"</c> in the <c>Destinations</c> list.</summary>
public static class WabaHooksBuilderRabbitMqExtensions
{
    /// <summary>The value of <see cref="DestinationOptions.Kind"/> for RabbitMQ.</summary>
    public const string Kind = "rabbitmq";

    /// <summary>
    /// Lets destinations of kind <c>rabbitmq</c> publish to a RabbitMQ exchange (see <see cref="RabbitMqDestinationOptions"/>
    /// for their own settings: <c>Exchange</c>, <c>RoutingKey</c>, <c>DeclareExchange</c>, <c>UserName</c>,
    /// <c>Password</c>), with the same filters, retries, circuit breaker, dead letters and replay as HTTP destinations.
    /// </summary>
    /// <param name="builder">The builder from <c>AddWabaHooks</c>.</param>
    public static WabaHooksBuilder AddRabbitMqDestinations(this WabaHooksBuilder builder) =>
        builder.AddDestinationKind<RabbitMqDestinationOptions>(Kind, static (services, destination, rabbit) => new RabbitMqTransport(
            destination,
            rabbit,
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetService<ILoggerFactory>()?.CreateLogger("WabaHooks.RabbitMQ") ?? NullLogger.Instance));

    /// <summary>Adds one RabbitMQ destination in code.</summary>
    /// <param name="builder">The builder from <c>AddWabaHooks</c>.</param>
    /// <param name="name">Its stable name.</param>
    /// <param name="url">The broker: <c>amqp://user@host:5672/vhost</c>.</param>
    /// <param name="exchange">The exchange events are published to.</param>
    /// <param name="configure">Sets the format, filters, limits and retry policy.</param>
    /// <param name="configureRabbitMq">Sets the routing key, credentials and whether the exchange is declared.</param>
    /// <exception cref="ArgumentException">The settings are not valid, or the name is taken.</exception>
    public static WabaHooksBuilder AddRabbitMqDestination(
        this WabaHooksBuilder builder, string name, Uri url, string exchange, Action<DestinationOptions>? configure = null, Action<RabbitMqDestinationOptions>? configureRabbitMq = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddRabbitMqDestinations();
        builder.Services.Configure<RabbitMqDestinationOptions>(name, o =>
        {
            o.Exchange = exchange;
            configureRabbitMq?.Invoke(o);
        });
        var destination = new DestinationOptions { Name = name, Url = url, Kind = Kind };
        configure?.Invoke(destination);
        return builder.AddDestination(destination);
    }
}
