using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using WabaHooks.Hosting.Configuration;

namespace WabaHooks.Cli.Configuration;

/// <summary>
/// The configuration every command runs with, in the schema a library user binds with <c>AddWabaHooks(IConfiguration)</c>:
/// defaults &lt; the configuration file (<c>--config</c>, else <c>WABAHOOKS_CONFIG</c>, else <c>./wabahooks.json</c> when
/// it exists) &lt; environment variables (<c>WABAHOOKS__VERIFYTOKEN</c>,
/// <c>WabaHooks__Sqlite__DataDirectory</c>) &lt; command-line options, all under the <c>WabaHooks</c> section.
/// </summary>
internal static class CliConfiguration
{
    public const string Section = "WabaHooks";
    public const string DefaultDataDir = "./wabahooks-data";

    /// <summary>The full key of a setting inside the WabaHooks section: <c>Key("Sqlite", "DataDirectory")</c>.</summary>
    public static string Key(params string[] parts) => string.Join(':', [Section, .. parts]);

    /// <summary>The environment variable that names the configuration file when <c>--config</c> is not given.</summary>
    public const string ConfigVariable = "WABAHOOKS_CONFIG";

    /// <summary>The file read from the working folder when neither <c>--config</c> nor <see cref="ConfigVariable"/> is given.</summary>
    public const string DefaultConfigFile = "wabahooks.json";

    /// <summary>
    /// Where the configuration came from, recorded outside the <c>WabaHooks</c> section (whose unknown keys are errors),
    /// so a command that finds nothing configured can say which file it looked for.
    /// </summary>
    private const string SourceKey = "WabaHooksCli:ConfigurationSource";

    /// <param name="configFile">The file named by <c>--config</c>, if any.</param>
    /// <param name="commandLine">The options given, as keys.</param>
    /// <param name="errors">Receives the problems.</param>
    /// <param name="watch">
    /// Whether the file is read again when it changes (serve, so secrets rotate without a restart). A change that is not
    /// valid JSON leaves the file's settings empty until it is fixed, and the options that follow it keep their last
    /// valid values; it is never thrown on the watcher's thread.
    /// </param>
    public static IConfigurationRoot Build(string? configFile, IEnumerable<KeyValuePair<string, string?>> commandLine, ICollection<string> errors, bool watch = false)
    {
        var builder = new ConfigurationBuilder();
        var (file, source) = ChooseFile(configFile, errors);
        var loaded = false;
        if (file is not null)
        {
            builder.AddJsonFile(json =>
            {
                json.Path = file;
                json.Optional = false;
                json.ReloadOnChange = watch;
                json.ResolveFileProvider();
                if (watch && json.FileProvider is PhysicalFileProvider folder)
                {
                    // Polled (every 4 s) rather than watched: the watcher covers the file's folder and every folder
                    // below it, and the data folder usually is below it (./wabahooks.json beside ./wabahooks-data), so
                    // every SQLite write woke it: 8 % of serve's CPU under load, for one file that rarely changes.
                    folder.UsePollingFileWatcher = true;
                    folder.UseActivePolling = true;
                }
                // The first read reports a broken file (below); a later one must not throw on the watcher's thread.
                json.OnLoadException = context => context.Ignore = loaded;
            });
        }

        builder.AddInMemoryCollection([new(SourceKey, source)]);

        // Every variable, as the generic host reads them: WABAHOOKS__VERIFYTOKEN is the key WabaHooks:VerifyToken.
        builder.AddEnvironmentVariables();
        builder.AddInMemoryCollection(commandLine);
        try
        {
            var root = builder.Build();
            loaded = true;
            return root;
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException)
        {
            errors.Add($"{file} is not valid JSON ({ex.InnerException?.Message ?? ex.Message}). Fix the file; the settings go under \"{Section}\", see wabahooks.schema.json.");
            var fallback = new ConfigurationBuilder();
            fallback.AddInMemoryCollection([new(SourceKey, source)]);
            fallback.AddEnvironmentVariables();
            fallback.AddInMemoryCollection(commandLine);
            return fallback.Build();
        }
    }

    /// <summary>
    /// Which configuration file was read, as a phrase for messages: "the configuration file /x/wabahooks.json", or
    /// "no configuration file (looked for /x/wabahooks.json; …)".
    /// </summary>
    public static string Source(IConfiguration configuration) => configuration[SourceKey] ?? "no configuration file";

    /// <summary>
    /// The file to read, as <c>serve</c> and every command choose it: <c>--config</c>, else <see cref="ConfigVariable"/>,
    /// else <see cref="DefaultConfigFile"/> in the working folder when it exists. A file named explicitly must exist.
    /// </summary>
    private static (string? File, string Source) ChooseFile(string? configFile, ICollection<string> errors)
    {
        if (!string.IsNullOrEmpty(configFile))
        {
            var full = Path.GetFullPath(configFile);
            if (File.Exists(full))
            {
                return (full, $"the configuration file {full} (--config)");
            }

            errors.Add($"--config: the file {full} does not exist. Check the path, or leave --config out to use options and WABAHOOKS__ environment variables.");
            return (null, $"no configuration file (--config {full} does not exist)");
        }

        if (Environment.GetEnvironmentVariable(ConfigVariable) is { Length: > 0 } named)
        {
            var full = Path.GetFullPath(named);
            if (File.Exists(full))
            {
                return (full, $"the configuration file {full} ({ConfigVariable})");
            }

            errors.Add($"{ConfigVariable}: the file {full} does not exist. Fix the variable, or unset it to use ./{DefaultConfigFile}.");
            return (null, $"no configuration file ({ConfigVariable}={full} does not exist)");
        }

        var local = Path.GetFullPath(DefaultConfigFile);
        return File.Exists(local)
            ? (local, $"the configuration file {local}")
            : (null, $"no configuration file (looked for {local}; give --config FILE or set {ConfigVariable})");
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
