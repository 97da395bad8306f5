using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WabaHooks.Hosting;
using WabaHooks.Hosting.Configuration;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Hosting.Health;
using WabaHooks.Hosting.Sinks;
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

        if (IsTaken(builder.Services, destination.Name))
        {
            throw new ArgumentException($"Two destinations are named '{destination.Name}'; each needs its own name.", nameof(destination));
        }

        var services = builder.Services;
        services.AddSingleton(new DestinationName(destination.Name));
        services.AddSingleton(new SinkRegistration(destination.SinkName, destination.Filter));
        services.AddSingleton(destination);
        AddShared(services);
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

    /// <summary>
    /// Adds one HTTP destination read from <paramref name="section"/> (an item of the <c>Destinations</c> list:
    /// <c>Name</c>, <c>Url</c>, <c>Secret</c>, filters, limits). Its settings are the named options
    /// <c>DestinationOptions</c> under its name, so <c>services.Configure&lt;DestinationOptions&gt;(name, …)</c> can adjust
    /// them; problems are reported with every other at start-up.
    /// </summary>
    /// <param name="builder">The builder from <c>AddWabaHooks</c>.</param>
    /// <param name="section">The destination's configuration.</param>
    public static WabaHooksBuilder AddDestination(this WabaHooksBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        var services = builder.Services;
        var problems = ConfigurationProblems.In(services);
        var name = section["Name"]?.Trim() ?? "";
        if (name.Length == 0)
        {
            problems.AddAtRegistration(typeof(WabaHooksOptions), null, $"{section.Path} has no Name: give each destination a stable name (letters, digits, '-', '_', '.'); its pending work is kept under it.");
            return builder;
        }

        if (IsTaken(services, name))
        {
            problems.AddAtRegistration(typeof(WabaHooksOptions), null, $"{section.Path}: the name '{name}' is used twice. Each destination needs its own name: its pending work is kept under it.");
            return builder;
        }

        services.AddSingleton(new DestinationName(name));
        services.AddOptions<DestinationOptions>(name)
            .Configure(o => SettingsBinder.Bind(section, o, section.Path, problems.Binding(typeof(DestinationOptions), name)))
            .PostConfigure(o => o.Name = name)
            .ValidateOnStart();
        // Its secret rotates when the configuration reloads.
        services.AddSingleton<IOptionsChangeTokenSource<DestinationOptions>>(new ConfigurationChangeSource<DestinationOptions>(section, name));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DestinationOptions>, ConfigurationProblemsValidator<DestinationOptions>>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DestinationOptions>, DestinationOptionsValidator>());
        services.AddSingleton(sp => Named(sp, name));
        services.AddSingleton(sp => new SinkRegistration(DestinationOptions.SinkPrefix + name, Named(sp, name).Filter));
        AddShared(services);
        return builder;
    }

    private static DestinationOptions Named(IServiceProvider services, string name) =>
        services.GetRequiredService<IOptionsMonitor<DestinationOptions>>().Get(name);

    private static bool IsTaken(IServiceCollection services, string name) =>
        services.Any(d => d.ImplementationInstance is DestinationName taken && taken.Name == name);

    private static void AddShared(IServiceCollection services)
    {
        services.TryAddSingleton<SinkWorkSignal>();
        services.TryAddSingleton<DestinationStatusBoard>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DestinationService>());
        services.AddDestinationHttpClients();
        if (!services.Any(d => d.ServiceType == typeof(DestinationsHealthCheck)))
        {
            services.AddSingleton<DestinationsHealthCheck>();
            services.AddHealthChecks().AddCheck<DestinationsHealthCheck>(WabaHooksHealthChecks.Destinations, tags: [WabaHooksHealthChecks.ReadyTag]);
        }
    }
}
