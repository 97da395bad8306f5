using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace WabaHooks.Hosting.Configuration;

/// <summary>
/// Tells <c>IOptionsMonitor&lt;TOptions&gt;</c> when the configuration it was bound from reloads, so secrets and tokens
/// can be rotated in a running process. Nothing changes unless the configuration's sources reload (a JSON file added
/// with <c>reloadOnChange: true</c>).
/// </summary>
/// <remarks>
/// The same job as <c>ConfigurationChangeTokenSource</c>, without its package: the host layer depends on the options
/// abstractions alone, and this is the whole of it.
/// </remarks>
internal sealed class ConfigurationChangeSource<TOptions>(IConfiguration configuration, string? name = null) : IOptionsChangeTokenSource<TOptions>
{
    public string? Name { get; } = name ?? Options.DefaultName;

    public IChangeToken GetChangeToken() => configuration.GetReloadToken();
}
