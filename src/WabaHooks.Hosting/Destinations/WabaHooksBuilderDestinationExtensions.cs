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
/// Adds destinations: HTTP endpoints (and brokers, through kinds their packages add) that get the events after the 200 to Meta, each only the events its filter
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
        services.AddSingleton(new SinkRegistration(destination.SinkName, destination.Filter) { Ordering = destination.Ordering });
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
            .Configure<IEnumerable<DestinationKind>>((o, kinds) => BindCommon(section, o, problems.Binding(typeof(DestinationOptions), name), kinds))
            .PostConfigure(o => o.Name = name)
            .ValidateOnStart();
        // Its secret rotates when the configuration reloads.
        services.AddSingleton<IOptionsChangeTokenSource<DestinationOptions>>(new ConfigurationChangeSource<DestinationOptions>(section, name));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DestinationOptions>, ConfigurationProblemsValidator<DestinationOptions>>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DestinationOptions>, DestinationOptionsValidator>());
        services.AddSingleton(sp => Named(sp, name));
        services.AddSingleton(sp => new SinkRegistration(DestinationOptions.SinkPrefix + name, Named(sp, name).Filter) { Ordering = Named(sp, name).Ordering });
        AddShared(services);
        return builder;
    }

    /// <summary>
    /// Adds a kind of destination beside HTTP: destinations whose <see cref="DestinationOptions.Kind"/> is
    /// <paramref name="kind"/> send through the transport <paramref name="create"/> makes, with everything else (filters,
    /// retries, circuit breaker, dead letters, replay, attempts, telemetry) shared with HTTP destinations. Each such item
    /// of the <c>Destinations</c> list also binds <typeparamref name="TSettings"/> (named options under the destination's
    /// name) from the keys that are not common settings, and validates them at start-up.
    /// </summary>
    /// <typeparam name="TSettings">The kind's own settings.</typeparam>
    /// <param name="builder">The builder from <c>AddWabaHooks</c>.</param>
    /// <param name="kind">The value of <c>Kind</c> it handles, e.g. <c>rabbitmq</c>.</param>
    /// <param name="create">Creates one destination's transport from its common and own settings.</param>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is empty or <c>http</c>.</exception>
    public static WabaHooksBuilder AddDestinationKind<TSettings>(
        this WabaHooksBuilder builder, string kind, Func<IServiceProvider, DestinationOptions, TSettings, IDestinationTransport> create)
        where TSettings : class, IDestinationKindSettings, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(create);
        if (DestinationKinds.IsHttp(kind))
        {
            throw new ArgumentException("HTTP is built in; a kind added here needs its own name.", nameof(kind));
        }

        var services = builder.Services;
        if (services.Any(d => d.ImplementationInstance is DestinationKind added && string.Equals(added.Name, kind, StringComparison.OrdinalIgnoreCase)))
        {
            return builder;
        }

        services.AddSingleton(new DestinationKind(
            kind,
            typeof(TSettings),
            (sp, d) => Settings(sp, d.Name).Validate(d),
            (sp, d) => create(sp, d, Settings(sp, d.Name))));
        // Its binding's problems are reported with the destination's (DestinationOptionsValidator), not by a validator
        // of its own, which would throw from inside that one and hide the rest.
        var problems = ConfigurationProblems.In(services);
        var own = Setting.Of(typeof(TSettings));
        foreach (var section in builder.Configuration?.GetSection(WabaHooksServiceCollectionExtensions.DestinationsKey).GetChildren() ?? [])
        {
            var name = section["Name"]?.Trim() ?? "";
            if (name.Length > 0 && string.Equals(section["Kind"]?.Trim(), kind, StringComparison.OrdinalIgnoreCase))
            {
                // Every key that is not its own is left alone: the common binding reports the unknown ones, once.
                var others = section.GetChildren().Select(c => c.Key).Where(k => !own.Any(s => string.Equals(s.Key, k, StringComparison.OrdinalIgnoreCase))).ToArray();
                services.AddOptions<TSettings>(name).Configure(o =>
                    SettingsBinder.Bind(section, o, section.Path, problems.Binding(typeof(TSettings), name), others));
            }
        }

        return builder;

        static TSettings Settings(IServiceProvider services, string name) => services.GetRequiredService<IOptionsMonitor<TSettings>>().Get(name);
    }

    /// <summary>
    /// Binds the common settings. A broker's <c>Url</c> is any absolute URL (<c>amqp://</c>, <c>nats://</c>; its kind
    /// checks the scheme), where the binder reads URLs as http or https.
    /// </summary>
    private static void BindCommon(IConfigurationSection section, DestinationOptions options, ICollection<string> problems, IEnumerable<DestinationKind> kinds)
    {
        var otherKeys = KeysOfItsKind(section, kinds);
        if (otherKeys is null)
        {
            SettingsBinder.Bind(section, options, section.Path, problems);
            return;
        }

        SettingsBinder.Bind(section, options, section.Path, problems, [.. otherKeys, nameof(DestinationOptions.Url)]);
        if (section[nameof(DestinationOptions.Url)] is { Length: > 0 } url)
        {
            if (Uri.TryCreate(url.Trim(), UriKind.Absolute, out var broker))
            {
                options.Url = broker;
            }
            else
            {
                problems.Add($"{section.Path}:{nameof(DestinationOptions.Url)} is not an absolute URL: give the broker's address, e.g. amqp://host:5672/ or nats://host:4222.");
            }
        }
    }

    /// <summary>
    /// The keys of a destination's section that its kind reads rather than <see cref="DestinationOptions"/>: none for
    /// HTTP; the kind's own settings; and for a kind nobody handles, every key that is not common, since the unknown
    /// kind is the one problem worth reporting.
    /// </summary>
    private static string[]? KeysOfItsKind(IConfigurationSection section, IEnumerable<DestinationKind> kinds)
    {
        var name = section["Kind"]?.Trim();
        if (DestinationKinds.IsHttp(name))
        {
            return null;
        }

        var kind = kinds.LastOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase));
        if (kind is not null)
        {
            return [.. Setting.Of(kind.SettingsType).Select(s => s.Key)];
        }

        var common = Setting.Of(typeof(DestinationOptions));
        return [.. section.GetChildren().Select(c => c.Key).Where(k => !common.Any(s => string.Equals(s.Key, k, StringComparison.OrdinalIgnoreCase)))];
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
        DestinationTransports.AddTo(services);
        if (!services.Any(d => d.ServiceType == typeof(DestinationsHealthCheck)))
        {
            services.AddSingleton<DestinationsHealthCheck>();
            services.AddHealthChecks().AddCheck<DestinationsHealthCheck>(WabaHooksHealthChecks.Destinations, tags: [WabaHooksHealthChecks.ReadyTag]);
        }
    }
}
