using System.CommandLine;
using Microsoft.Extensions.Configuration;
using WabaHooks.Cli.Configuration;

namespace WabaHooks.Cli.Commands;

/// <summary>Options shared by every command that reads or writes the store.</summary>
internal sealed class CommonOptions
{
    public Option<string?> Config { get; } = new("--config") { Description = "A JSON configuration file (appsettings.json works): settings under \"WabaHooks\", as wabahooks.schema.json describes [default: $WABAHOOKS_CONFIG, else ./wabahooks.json when it exists]." };

    public Option<string?> DataDir { get; } = new("--data-dir") { Description = $"The folder that holds the SQLite database (WabaHooks:Sqlite:DataDirectory) [default: {CliConfiguration.DefaultDataDir}]." };

    public Option<string?> Postgres { get; } = new("--postgres") { Description = "An Npgsql connection string (WabaHooks:Postgres:ConnectionString): use PostgreSQL instead of the embedded SQLite store." };

    /// <summary>Whether the configuration file is read again when it changes (serve).</summary>
    public bool WatchConfigFile { get; init; }

    public void AddTo(Command command)
    {
        command.Options.Add(Config);
        command.Options.Add(DataDir);
        command.Options.Add(Postgres);
    }

    /// <summary>The configuration for a command: file, then environment, then the options given (each key under <c>WabaHooks:</c>).</summary>
    public IConfigurationRoot Load(ParseResult parse, ICollection<string> errors, params (string Key, string? Value)[] more)
    {
        var values = new List<KeyValuePair<string, string?>>();
        Add(values, CliConfiguration.Key("Sqlite", "DataDirectory"), parse.GetValue(DataDir));
        Add(values, CliConfiguration.Key("Postgres", "ConnectionString"), parse.GetValue(Postgres));
        foreach (var (key, value) in more)
        {
            Add(values, key, value);
        }

        return CliConfiguration.Build(parse.GetValue(Config), values, errors, WatchConfigFile);
    }

    public static void Add(List<KeyValuePair<string, string?>> values, string key, string? value)
    {
        if (value is not null)
        {
            values.Add(new(key, value));
        }
    }

    /// <summary>Prints every configuration problem and returns the exit code for them.</summary>
    public static int Fail(string command, ICollection<string> errors)
    {
        var error = Console.Error;
        error.WriteLine($"wabahooks {command}: cannot start — {errors.Count} problem{(errors.Count == 1 ? "" : "s")} to fix:");
        foreach (var problem in errors)
        {
            error.WriteLine($"  - {problem}");
        }

        return ExitCodes.Configuration;
    }
}

/// <summary>Process exit codes.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Configuration = 2;
    public const int NotFound = 3;

    /// <summary>The callback URL would fail Meta's verification request, so Meta was not asked to register it.</summary>
    public const int PreflightFailed = 4;
}
