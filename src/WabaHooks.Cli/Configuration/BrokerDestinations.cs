using WabaHooks.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The tool ships every kind of destination, so <c>"Kind": "rabbitmq"</c> or <c>"nats"</c> in wabahooks.json just works.</summary>
internal static class BrokerDestinations
{
    /// <summary>Adds the RabbitMQ and NATS kinds, in <c>serve</c> and in every command that reads the destinations alike.</summary>
    public static WabaHooksBuilder AddBrokerDestinations(this WabaHooksBuilder builder) =>
        builder.AddRabbitMqDestinations().AddNatsDestinations();
}
