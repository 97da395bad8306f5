using WabaHooks.Dashboard;
using WabaHooks.Dashboard.Queries;
using WabaHooks.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the WabaHooks dashboard.</summary>
public static class WabaHooksDashboardServiceCollectionExtensions
{
    /// <summary>
    /// Adds the dashboard and the admin surface under it (<c>AddAdmin</c>: token login, roles, antiforgery, the admin
    /// API), then map both with <c>app.MapWabaHooksDashboard("/wabahooks")</c>.
    /// </summary>
    /// <param name="builder">The builder from <c>AddWabaHooks</c>, with a store chosen.</param>
    /// <param name="configure">Adjusts the admin settings (tokens, session length) after the configuration.</param>
    /// <returns>The same builder.</returns>
    public static WabaHooksBuilder AddDashboard(this WabaHooksBuilder builder, Action<WabaHooks.AspNetCore.Admin.WabaHooksAdminOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddAdmin(configure);
        builder.Services.AddWabaHooksDashboardServices();
        return builder;
    }

    /// <summary>
    /// Adds the dashboard's own services alone (server-side rendering of its Razor components), for an application that
    /// registers the admin surface itself with <c>AddWabaHooksAdminServices</c>, as <c>wabahooks serve</c> does. Prefer
    /// <see cref="AddDashboard"/>.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddWabaHooksDashboardServices(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(DashboardMarker)))
        {
            return services;
        }

        services.AddRazorComponents();
        services.AddAntiforgery();
        services.AddSingleton<DashboardMarker>();
        services.AddScoped<DashboardQueries>();
        return services;
    }
}
