using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace WabaHooks.Hosting.Destinations;

/// <summary>
/// Registers the HTTP client factory for destinations, and the rule every destination client keeps: no redirects, no
/// cookies.
/// </summary>
internal static class DestinationHttpClients
{
    public static IServiceCollection AddDestinationHttpClients(this IServiceCollection services)
    {
        services.AddHttpClient();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<HttpClientFactoryOptions>, NoRedirects>());
        return services;
    }

    /// <summary>
    /// Turns redirects and cookies off on the primary handler of every <see cref="WabaHooksHttpClients.DestinationPrefix"/>
    /// client. A post-configuration, so its action runs after every <c>ConfigurePrimaryHttpMessageHandler</c> a user
    /// registers, in whatever order: a user's new handler (for a proxy or a client certificate) follows redirects by
    /// default, and a redirect would re-send a signed body to another URL. Other handler types are left alone: redirects
    /// are a feature of these two, not of a custom handler.
    /// </summary>
    private sealed class NoRedirects : IPostConfigureOptions<HttpClientFactoryOptions>
    {
        public void PostConfigure(string? name, HttpClientFactoryOptions options)
        {
            if (name is null || !name.StartsWith(WabaHooksHttpClients.DestinationPrefix, StringComparison.Ordinal))
            {
                return;
            }

            options.HttpMessageHandlerBuilderActions.Add(static builder =>
            {
                switch (builder.PrimaryHandler)
                {
                    case SocketsHttpHandler sockets:
                        sockets.AllowAutoRedirect = false;
                        sockets.UseCookies = false;
                        break;
                    case HttpClientHandler handler:
                        handler.AllowAutoRedirect = false;
                        handler.UseCookies = false;
                        break;
                }
            });
        }
    }
}
