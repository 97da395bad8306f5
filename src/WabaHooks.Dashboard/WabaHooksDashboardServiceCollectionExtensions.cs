using WabaHooks.Dashboard;
using WabaHooks.Dashboard.Queries;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the WabaHooks dashboard.</summary>
public static class WabaHooksDashboardServiceCollectionExtensions
{
    /// <summary>
    /// Registers what the dashboard's pages need: server-side rendering of Razor components, antiforgery, and the
    /// dashboard's own services. Call it beside <c>AddWabaHooks</c>, then map the pages with
    /// <c>app.MapWabaHooksDashboard("/wabahooks")</c>.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <returns>The same services, for chaining.</returns>
    public static IServiceCollection AddWabaHooksDashboard(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRazorComponents();
        services.AddAntiforgery();
        services.AddHttpContextAccessor();
        services.AddSingleton<DashboardMarker>();
        services.AddScoped<DashboardQueries>();
        return services;
    }
}
