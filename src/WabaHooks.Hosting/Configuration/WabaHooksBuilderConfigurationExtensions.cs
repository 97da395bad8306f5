using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WabaHooks.Hosting;
using WabaHooks.Hosting.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Lets the store, the watchdog and other extensions read their own part of the WabaHooks configuration.</summary>
public static class WabaHooksBuilderConfigurationExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TOptions"/>, bound (when WabaHooks was added from configuration) from the
    /// sub-section <paramref name="sectionKey"/> of the WabaHooks section with WabaHooks' binder: unknown keys and
    /// malformed values are start-up errors listed with all others, and <see cref="SecretAttribute"/> settings may come
    /// from files. The options are validated at start-up.
    /// </summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="builder">The builder from <c>AddWabaHooks</c>.</param>
    /// <param name="sectionKey">The sub-section's key, e.g. <c>Sqlite</c>.</param>
    /// <param name="configure">Adjusts the settings in code, after the binding.</param>
    /// <returns>The options builder, to add more configuration or validation.</returns>
    public static OptionsBuilder<TOptions> BindOptions<TOptions>(this WabaHooksBuilder builder, string sectionKey, Action<TOptions>? configure = null)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(sectionKey);
        var services = builder.Services;
        var problems = ConfigurationProblems.In(services);
        if (!services.Any(d => d.ImplementationInstance is ClaimedSection c && string.Equals(c.Key, sectionKey, StringComparison.OrdinalIgnoreCase)))
        {
            services.AddSingleton(new ClaimedSection(sectionKey));
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, ConfigurationProblemsValidator<TOptions>>());
        var options = services.AddOptions<TOptions>();
        if (builder.Configuration is { } configuration)
        {
            var section = configuration.GetSection(sectionKey);
            options.Configure(o => SettingsBinder.Bind(section, o, section.Path, problems.Binding(typeof(TOptions), null)));
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        return options.ValidateOnStart();
    }
}
