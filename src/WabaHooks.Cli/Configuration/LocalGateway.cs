using System.Text.Json;
using Microsoft.Extensions.Configuration;
using WabaHooks.Hosting;
using WabaHooks.Hosting.Configuration;
using WabaHooks.Signatures;

namespace WabaHooks.Cli.Configuration;

/// <summary>
/// The gateway <c>serve</c> would run with this configuration: its callback URL, verify token and app secret. It lets
/// <c>trigger</c> and <c>verify-endpoint</c> aim at the local gateway without repeating <c>--url</c> and secrets: the
/// configured values first, else the pair <c>serve</c> generated in the data directory.
/// </summary>
internal sealed record LocalGateway(Uri CallbackUrl, string? VerifyToken, AppSecret? AppSecret)
{
    /// <summary>Reads the configuration; never creates the local credentials file (only <c>serve</c> does).</summary>
    /// <param name="configuration">The command's configuration.</param>
    /// <param name="errors">Receives problems in the settings that were needed.</param>
    public static LocalGateway Resolve(IConfiguration configuration, ICollection<string> errors)
    {
        var serve = new ServeOptions();
        var problems = new List<string>();
        var serveSection = configuration.GetSection(CliConfiguration.Key("Serve"));
        SettingsBinder.Bind(serveSection, serve, serveSection.Path, problems);
        var options = new WabaHooksOptions();
        SettingsBinder.Bind(configuration.GetSection(CliConfiguration.Section), options, CliConfiguration.Section, problems, ["Destinations", "Sqlite", "Postgres", "Watchdog", "Serve", "Admin"]);
        foreach (var problem in problems)
        {
            errors.Add(problem);
        }

        var local = ReadLocalCredentials(CliConfiguration.DataDir(configuration));
        var token = options.VerifyToken.Length > 0 ? options.VerifyToken : local?.VerifyToken;
        var secret = options.AppSecrets.Count > 0
            ? options.AppSecrets[0]
            : local is null ? null : new AppSecret(Serving.ResolvedCredentials.LocalAppId, local.AppSecret);
        return new LocalGateway(CallbackUrlOf(serve), token, secret);
    }

    /// <summary>Where <c>serve</c> listens for Meta: its first address and path, a wildcard host read as loopback.</summary>
    private static Uri CallbackUrlOf(ServeOptions serve)
    {
        var first = serve.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? ServeOptions.DefaultUrls;
        var address = first.Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://[::]", "://[::1]", StringComparison.Ordinal)
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal);
        return Uri.TryCreate(address.TrimEnd('/') + serve.Path, UriKind.Absolute, out var url) ? url : new Uri(ServeOptions.DefaultUrls + "/webhook");
    }

    private static LocalCredentials? ReadLocalCredentials(string dataDir)
    {
        var path = LocalCredentials.PathIn(dataDir);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), CliJsonContext.Default.LocalCredentials) is { VerifyToken.Length: > 0, AppSecret.Length: > 0 } stored
                ? stored
                : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            // Unreadable: as if absent; the command then asks for the value on its command line.
            return null;
        }
    }
}
