using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace WabaHooks.Hosting.Configuration;

/// <summary>
/// Says in the log when a configuration change cannot be applied (an app secret removed to none, a broken file): the
/// options monitor keeps the last valid settings without a word, and an operator who rotated a secret must know.
/// </summary>
internal sealed partial class SettingsReloadLog(IConfiguration configuration, IOptionsFactory<WabaHooksOptions> factory, ILogger<SettingsReloadLog> logger)
    : IHostedService, IDisposable
{
    private IDisposable? _watch;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _watch = ChangeToken.OnChange(configuration.GetReloadToken, Check);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _watch?.Dispose();

    private void Check()
    {
        try
        {
            // The factory, not the monitor: the monitor may not have dropped its cached value yet when this runs.
            _ = factory.Create(Options.DefaultName);
        }
        catch (OptionsValidationException ex)
        {
            // The validators' messages name settings, never their values.
            LogNotApplied(logger, string.Join(" ", ex.Failures));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Configuration change not applied, the app secrets and verify token in use are kept: {Problems}")]
    private static partial void LogNotApplied(ILogger logger, string problems);
}
