using WabaHooks.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Hosting.Sinks;
using WabaHooks.Hosting.Health;
using WabaHooks.Sinks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds HTTP destinations: endpoints that get the events after the 200 to Meta, each only the events its filter
/// selects, each (event, destination) pair at least once with the event's idempotency key, and each with its own
/// attempts, backoff, circuit breaker and dead letters.
/// </summary>
public static class WabaHooksBuilderDestinationExtensions
{
    /// <summary>Adds one HTTP destination.</summary>
    /// <remarks>Its requests go through the HTTP client named <see cref="WabaHooksHttpClients.Destination"/>.</remarks>
    /// <param name="builder">The builder from <c>AddWabaHooks</c>.</param>
    /// <param name="destination">Its settings; they must be valid and its name unused.</param>
    /// <exception cref="ArgumentException">The settings are not valid (the message lists every problem), or the name is taken.</exception>
    public static WabaHooksBuilder AddDestination(this WabaHooksBuilder builder, DestinationOptions destination)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(destination);
        var problems = destination.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(destination));
        }

        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(SinkRegistration) && d.ImplementationInstance is SinkRegistration s && s.Name == destination.SinkName))
        {
            throw new ArgumentException($"Two destinations are named '{destination.Name}'; each needs its own name.", nameof(destination));
        }

        services.AddSingleton(new SinkRegistration(destination.SinkName, destination.Filter));
        services.AddSingleton(destination);
        services.TryAddSingleton<SinkWorkSignal>();
        services.TryAddSingleton<DestinationStatusBoard>();
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<WabaHooksOptions>>().Value.Destinations);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DestinationService>());
        services.AddDestinationHttpClients();
        if (!services.Any(d => d.ServiceType == typeof(DestinationsHealthCheck)))
        {
            services.AddSingleton<DestinationsHealthCheck>();
            services.AddHealthChecks().AddCheck<DestinationsHealthCheck>(WabaHooksHealthChecks.Destinations, tags: [WabaHooksHealthChecks.ReadyTag]);
        }
        return builder;
    }

    /// <summary>Adds one HTTP destination set up by <paramref name="configure"/>.</summary>
    /// <param name="builder">The builder from <c>AddWabaHooks</c>.</param>
    /// <param name="name">Its stable name.</param>
    /// <param name="url">Where events are POSTed.</param>
    /// <param name="secret">The signing secret (see <see cref="DestinationOptions.Secret"/>).</param>
    /// <param name="configure">Sets the format, filters, limits and retry policy.</param>
    /// <exception cref="ArgumentException">The settings are not valid, or the name is taken.</exception>
    public static WabaHooksBuilder AddDestination(this WabaHooksBuilder builder, string name, Uri url, string secret, Action<DestinationOptions>? configure = null)
    {
        var destination = new DestinationOptions { Name = name, Url = url, Secret = secret };
        configure?.Invoke(destination);
        return builder.AddDestination(destination);
    }
}
