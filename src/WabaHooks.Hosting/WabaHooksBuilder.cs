using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace WabaHooks.Hosting;

/// <summary>Returned by <c>AddWabaHooks</c>: chooses the store and adds handlers, destinations and the watchdog.</summary>
public sealed class WabaHooksBuilder
{
    internal WabaHooksBuilder(IServiceCollection services, IConfiguration? configuration)
    {
        Services = services;
        Configuration = configuration;
    }

    /// <summary>The service collection WabaHooks is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// The configuration section <c>AddWabaHooks(IConfiguration)</c> was given; the store, destinations and watchdog read
    /// their own sub-sections of it. <see langword="null"/> when WabaHooks is set up in code only.
    /// </summary>
    public IConfiguration? Configuration { get; }
}
