using Microsoft.Extensions.Configuration;
using WabaHooks.Cli.Configuration;
using WabaHooks.Hosting.Configuration;
using WabaHooks.Hosting.Retention;

namespace WabaHooks.Cli.Commands;

/// <summary>The <c>Retention</c> settings of the configuration, bound and checked as <c>serve</c> binds them.</summary>
internal static class RetentionSettings
{
    public static RetentionOptions Read(IConfiguration configuration, List<string> errors)
    {
        var retention = new RetentionOptions();
        var key = CliConfiguration.Key("Retention");
        SettingsBinder.Bind(configuration.GetSection(key), retention, key, errors);
        RetentionOptionsValidator.Validate(retention, errors);
        return retention;
    }
}
