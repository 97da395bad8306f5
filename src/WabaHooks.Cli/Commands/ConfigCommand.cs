using System.CommandLine;
using WabaHooks.Cli.Configuration;

namespace WabaHooks.Cli.Commands;

/// <summary><c>wabahooks config</c>: the configuration's schema.</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var schema = new Command("schema", $"Print the JSON Schema of the configuration ({ConfigurationSchema.FileName}), for editors to complete and check appsettings.json.");
        schema.SetAction(_ =>
        {
            Console.Out.Write(ConfigurationSchema.Generate());
            return ExitCodes.Success;
        });
        return new Command("config", "The configuration schema serve and a library user's AddWabaHooks(configuration) read.") { schema };
    }
}
