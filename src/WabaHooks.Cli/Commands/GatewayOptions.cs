using System.CommandLine;
using WabaHooks.Cli.Configuration;

namespace WabaHooks.Cli.Commands;

/// <summary>
/// <c>--config</c> and <c>--data-dir</c> for commands that talk to a gateway over HTTP (<c>trigger</c>,
/// <c>verify-endpoint</c>): they read the configuration only to find the local gateway's URL and credentials.
/// </summary>
internal sealed class GatewayOptions
{
    private readonly CommonOptions _common = new();

    public void AddTo(Command command)
    {
        command.Options.Add(_common.Config);
        command.Options.Add(_common.DataDir);
    }

    /// <summary>The local gateway as the configuration (or the credentials serve generated) describes it.</summary>
    public LocalGateway Resolve(ParseResult parse, ICollection<string> errors) => LocalGateway.Resolve(Load(parse, errors), errors);

    /// <summary>Which configuration file was read, for messages.</summary>
    public string Source(ParseResult parse) => CliConfiguration.Source(Load(parse, []));

    /// <summary>Where serve keeps the credentials it generates, for messages.</summary>
    public string CredentialsFile(ParseResult parse) => LocalCredentials.PathIn(CliConfiguration.DataDir(Load(parse, [])));

    private Microsoft.Extensions.Configuration.IConfigurationRoot Load(ParseResult parse, ICollection<string> errors)
    {
        var values = new List<KeyValuePair<string, string?>>();
        CommonOptions.Add(values, CliConfiguration.Key("Sqlite", "DataDirectory"), parse.GetValue(_common.DataDir));
        return CliConfiguration.Build(parse.GetValue(_common.Config), values, errors);
    }
}
