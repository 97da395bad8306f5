using Microsoft.Extensions.DependencyInjection;

namespace WabaHooks.AspNetCore;

/// <summary>Returned by <c>AddWabaHooks</c>: chooses the store and adds handlers.</summary>
public sealed class WabaHooksBuilder
{
    internal WabaHooksBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection WabaHooks is registered in.</summary>
    public IServiceCollection Services { get; }
}
