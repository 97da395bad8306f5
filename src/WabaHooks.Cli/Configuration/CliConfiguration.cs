using Microsoft.Extensions.Configuration;
using WabaHooks.Hosting.Configuration;

namespace WabaHooks.Cli.Configuration;

/// <summary>
/// The configuration every command runs with, in the schema a library user binds with <c>AddWabaHooks(IConfiguration)</c>:
/// defaults &lt; the <c>--config</c> file &lt; environment variables (<c>WABAHOOKS__VERIFYTOKEN</c>,
/// <c>WabaHooks__Sqlite__DataDirectory</c>) &lt; command-line options, all under the <c>WabaHooks</c> section.
/// </summary>
internal static class CliConfiguration
{
    public const string Section = "WabaHooks";
    public const string DefaultDataDir = "./wabahooks-data";

    /// <summary>The full key of a setting inside the WabaHooks section: <c>Key("Sqlite", "DataDirectory")</c>.</summary>
    public static string Key(params string[] parts) => string.Join(':', [Section, .. parts]);

    public static IConfigurationRoot Build(string? configFile, IEnumerable<KeyValuePair<string, string?>> commandLine, ICollection<string> errors)
    {
        var builder = new ConfigurationBuilder();
        if (!string.IsNullOrEmpty(configFile))
        {
            var full = Path.GetFullPath(configFile);
            if (!File.Exists(full))
            {
                errors.Add($"--config: the file {full} does not exist. Check the path, or leave --config out to use options and WABAHOOKS__ environment variables.");
            }
            else
            {
                builder.AddJsonFile(full, optional: false, reloadOnChange: false);
            }
        }

        // Every variable, as the generic host reads them: WABAHOOKS__VERIFYTOKEN is the key WabaHooks:VerifyToken.
        builder.AddEnvironmentVariables();
        builder.AddInMemoryCollection(commandLine);
        try
        {
            return builder.Build();
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException)
        {
            errors.Add($"--config: {configFile} is not valid JSON ({ex.InnerException?.Message ?? ex.Message}). Fix the file; the settings go under \"{Section}\", see wabahooks.schema.json.");
            var fallback = new ConfigurationBuilder();
            fallback.AddEnvironmentVariables();
            fallback.AddInMemoryCollection(commandLine);
            return fallback.Build();
        }
    }

    /// <summary>The SQLite data directory: <c>WabaHooks:Sqlite:DataDirectory</c>, default <c>./wabahooks-data</c>.</summary>
    public static string DataDir(IConfiguration configuration) =>
        configuration[Key("Sqlite", "DataDirectory")] is { Length: > 0 } dir && !string.IsNullOrWhiteSpace(dir) ? dir : DefaultDataDir;

    /// <summary>
    /// The PostgreSQL connection string (<c>WabaHooks:Postgres:ConnectionString</c>, a value or <c>{ "File": path }</c>),
    /// or <see langword="null"/> when the store is SQLite.
    /// </summary>
    public static string? Postgres(IConfiguration configuration, ICollection<string> errors)
    {
        var section = configuration.GetSection(Key("Postgres", "ConnectionString"));
        if (!section.Exists())
        {
            return null;
        }

        var value = SettingsBinder.ReadSecret(section, section.Path, errors);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
