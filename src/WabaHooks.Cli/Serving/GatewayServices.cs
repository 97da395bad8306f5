using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Cli.Configuration;
using WabaHooks.Hosting;
using WabaHooks.Hosting.Configuration;

namespace WabaHooks.Cli.Serving;

/// <summary>
/// The gateway's services as <c>serve</c> composes them from its configuration: one place, so <c>serve</c> and
/// <c>doctor</c> (which checks that <c>serve</c> would start) can never disagree about which sections are settings.
/// </summary>
internal static class GatewayServices
{
    /// <summary>Adds WabaHooks with its store, broker kinds, and the watchdog and media when configured.</summary>
    /// <param name="services">The services to add to.</param>
    /// <param name="configuration">The whole configuration; the gateway reads its <c>WabaHooks</c> section.</param>
    /// <param name="postgres">Whether the store is PostgreSQL (else SQLite).</param>
    public static WabaHooksBuilder Add(IServiceCollection services, IConfiguration configuration, bool postgres)
    {
        var section = configuration.GetSection(CliConfiguration.Section);
        services.AddSingleton(new ClaimedSection("Serve"));
        if (postgres)
        {
            // The data directory still holds the locally generated credentials.
            services.AddSingleton(new ClaimedSection(WabaHooksBuilderSqliteExtensions.SectionKey));
        }

        var wabaHooks = services.AddWabaHooks(section).AddBrokerDestinations();
        if (postgres)
        {
            wabaHooks.UsePostgres();
        }
        else
        {
            wabaHooks.UseSqlite();
        }

        if (section.GetSection(WabaHooksBuilderWatchdogExtensions.SectionKey).Exists())
        {
            wabaHooks.AddSubscriptionWatchdog();
        }

        if (section.GetSection(WabaHooksBuilderMediaExtensions.SectionKey).Exists())
        {
            // Media is kept beside the store unless Media:Directory says otherwise, where `media get` looks for it.
            var mediaDirectory = Commands.MediaCommand.Directory(configuration);
            wabaHooks.AddMedia(m => m.Directory = string.IsNullOrWhiteSpace(m.Directory) ? mediaDirectory : m.Directory);
        }

        // The admin listener's settings (Admin:Urls, tokens), bound and validated with the rest; the listener itself is
        // an application of its own (AdminListener).
        wabaHooks.AddAdminOptions();
        return wabaHooks;
    }
}
