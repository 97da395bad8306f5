using Microsoft.Extensions.DependencyInjection;

namespace WabaHooks.Hosting.Destinations;

/// <summary>Creates each destination's transport by its kind: HTTP here, the others from their packages' registrations.</summary>
internal sealed class DestinationTransports(IServiceProvider services, IEnumerable<DestinationKind> kinds, IHttpClientFactory httpClientFactory, TimeProvider time)
{
    /// <exception cref="InvalidOperationException">No registered transport handles the destination's kind.</exception>
    public IDestinationTransport Create(DestinationOptions destination)
    {
        if (DestinationKinds.IsHttp(destination.Kind))
        {
            return new DestinationClient(destination, httpClientFactory, time);
        }

        var kind = kinds.LastOrDefault(k => string.Equals(k.Name, destination.Kind, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException(DestinationKinds.Unknown($"Destination '{destination.Name}'", destination.Kind, kinds.Select(k => k.Name)));
        return kind.Create(services, destination);
    }

    /// <summary>Adds what <see cref="Create"/> needs for HTTP.</summary>
    public static void AddTo(IServiceCollection services)
    {
        services.AddDestinationHttpClients();
        if (!services.Any(d => d.ServiceType == typeof(DestinationTransports)))
        {
            services.AddSingleton(sp => new DestinationTransports(
                sp, sp.GetServices<DestinationKind>(), sp.GetRequiredService<IHttpClientFactory>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
            services.AddSingleton(sp => new DestinationTester(sp.GetServices<DestinationOptions>(), sp.GetRequiredService<DestinationTransports>()));
        }
    }
}
