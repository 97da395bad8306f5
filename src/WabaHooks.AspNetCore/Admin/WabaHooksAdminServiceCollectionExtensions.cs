using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WabaHooks.AspNetCore.Admin;
using WabaHooks.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the admin surface: token login, roles, antiforgery and the OpenAPI document of the admin API.</summary>
public static class WabaHooksAdminServiceCollectionExtensions
{
    /// <summary>The key of the admin settings in the WabaHooks configuration section.</summary>
    public const string SectionKey = "Admin";

    /// <summary>
    /// Adds what <c>MapWabaHooksAdmin</c> needs, with the settings of the <c>Admin</c> sub-section of the WabaHooks
    /// configuration (<see cref="WabaHooksAdminOptions"/>: tokens, session length), then <paramref name="configure"/>.
    /// Tokens are re-read when that configuration changes. Validated at start-up.
    /// </summary>
    /// <param name="builder">The builder from <c>AddWabaHooks</c>.</param>
    /// <param name="configure">Adjusts the settings in code, after the configuration.</param>
    public static WabaHooksBuilder AddAdmin(this WabaHooksBuilder builder, Action<WabaHooksAdminOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddAdminOptions(configure);
        builder.Services.AddWabaHooksAdminServices();
        return builder;
    }

    /// <summary>
    /// Binds and validates <see cref="WabaHooksAdminOptions"/> alone (the <c>Admin</c> sub-section, re-read on change),
    /// without the admin services: for a host that serves the admin surface from another application, as
    /// <c>wabahooks serve</c> does on its admin listener.
    /// </summary>
    /// <param name="builder">The builder from <c>AddWabaHooks</c>.</param>
    /// <param name="configure">Adjusts the settings in code, after the configuration.</param>
    public static OptionsBuilder<WabaHooksAdminOptions> AddAdminOptions(this WabaHooksBuilder builder, Action<WabaHooksAdminOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.BindOptions(SectionKey, configure);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WabaHooksAdminOptions>, WabaHooksAdminOptionsValidator>());
        if (builder.Configuration is { } configuration)
        {
            builder.Services.AddSingleton<IOptionsChangeTokenSource<WabaHooksAdminOptions>>(
                new ConfigurationChangeTokenSource<WabaHooksAdminOptions>(configuration.GetSection(SectionKey)));
        }

        return options;
    }

    /// <summary>
    /// Adds the admin surface's services alone, for an application that provides the WabaHooks services and
    /// <see cref="WabaHooksAdminOptions"/> itself (as <c>wabahooks serve</c> does for its admin listener). Prefer
    /// <see cref="AddAdmin"/>.
    /// </summary>
    public static IServiceCollection AddWabaHooksAdminServices(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(AdminTokens)))
        {
            return services;
        }

        services.AddOptions<WabaHooksAdminOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WabaHooksAdminOptions>, WabaHooksAdminOptionsValidator>());
        services.AddSingleton<AdminTokens>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, AdminAccessHandler>());

        // No default scheme is set: the application's own authentication stays as it was; only the admin policies
        // name these schemes.
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AdminBearerHandler>(WabaHooksAdminSchemes.Bearer, _ => { })
            .AddCookie(WabaHooksAdminSchemes.Cookie)
            .AddPolicyScheme(WabaHooksAdminSchemes.Token, "WabaHooks admin token", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? WabaHooksAdminSchemes.Bearer
                    : WabaHooksAdminSchemes.Cookie);
        services.AddOptions<CookieAuthenticationOptions>(WabaHooksAdminSchemes.Cookie)
            .Configure<IOptionsMonitor<WabaHooksAdminOptions>>((cookie, admin) => AdminCookie.Configure(cookie, admin.CurrentValue));

        services.AddAuthorization(o =>
        {
            o.AddPolicy(WabaHooksAdminPolicies.Viewer, p => p
                .AddAuthenticationSchemes(WabaHooksAdminSchemes.Token)
                .RequireRole(WabaHooksAdminRoles.Viewer, WabaHooksAdminRoles.Operator));
            // The token scheme is named here too, so a refusal answers 401/403 (or the login page) even in an
            // application with no default authentication scheme.
            o.AddPolicy(WabaHooksAdminPolicies.Operator, p => p.AddAuthenticationSchemes(WabaHooksAdminSchemes.Token).AddRequirements(new OperatorRequirement()));
            o.AddPolicy(WabaHooksAdminPolicies.LocalOnly, p => p.AddAuthenticationSchemes(WabaHooksAdminSchemes.Token).AddRequirements(new LocalOnlyRequirement()));
        });
        services.AddAntiforgery();
        services.AddOpenApi(AdminOpenApi.DocumentName, o => o.ShouldInclude = d => d.ActionDescriptor.EndpointMetadata.OfType<AdminEndpointMetadata>().Any());
        return services;
    }
}
