using WabaHooks.Hosting;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using WabaHooks.Signatures;

namespace WabaHooks.Cli.Configuration;

/// <summary>
/// Builds the configuration (defaults &lt; <c>--config</c> file &lt; <c>WABAHOOKS__</c> environment &lt; command line)
/// and turns it into <see cref="GatewaySettings"/>, collecting every problem instead of stopping at the first.
/// </summary>
internal static class SettingsLoader
{
    public static IConfigurationRoot Build(string? configFile, IEnumerable<KeyValuePair<string, string?>> commandLine, ICollection<string> errors)
    {
        var builder = new ConfigurationBuilder();
        if (!string.IsNullOrEmpty(configFile))
        {
            var full = System.IO.Path.GetFullPath(configFile);
            if (!File.Exists(full))
            {
                errors.Add($"--config: the file {full} does not exist. Check the path, or leave --config out to use options and WABAHOOKS__ environment variables.");
            }
            else
            {
                builder.AddJsonFile(full, optional: false, reloadOnChange: false);
            }
        }

        builder.AddEnvironmentVariables(ConfigurationKeys.EnvironmentPrefix);
        builder.AddInMemoryCollection(commandLine);
        try
        {
            return builder.Build();
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException)
        {
            errors.Add($"--config: {configFile} is not valid JSON ({ex.InnerException?.Message ?? ex.Message}). Fix the file; keys are {string.Join(", ", AllKeys)}.");
            var fallback = new ConfigurationBuilder();
            fallback.AddEnvironmentVariables(ConfigurationKeys.EnvironmentPrefix);
            fallback.AddInMemoryCollection(commandLine);
            return fallback.Build();
        }
    }

    /// <summary>The data directory alone, for commands that only read the store.</summary>
    public static string DataDir(IConfiguration configuration) =>
        NonEmpty(configuration[ConfigurationKeys.DataDir]) ?? GatewaySettings.DefaultDataDir;

    public static GatewaySettings Read(IConfiguration configuration, ICollection<string> errors)
    {
        var urls = ReadUrls(configuration[ConfigurationKeys.Urls] ?? GatewaySettings.DefaultUrls, errors);
        var path = NonEmpty(configuration[ConfigurationKeys.Path]) ?? GatewaySettings.DefaultPath;
        if (!path.StartsWith('/') || path.Contains('?', StringComparison.Ordinal) || path.Contains('#', StringComparison.Ordinal))
        {
            errors.Add($"--path '{path}': the callback path must start with '/' and hold no query or fragment, e.g. /webhook.");
        }

        var maxBody = ReadMaxBody(configuration[ConfigurationKeys.MaxBodyBytes], errors);
        var reserve = ReadFreeSpaceReserve(configuration[ConfigurationKeys.FreeSpaceReserveBytes], errors);
        var secrets = ReadSecrets(configuration.GetSection(ConfigurationKeys.AppSecret), errors);
        var verifyToken = configuration[ConfigurationKeys.VerifyToken];
        if (verifyToken is not null && string.IsNullOrWhiteSpace(verifyToken))
        {
            errors.Add("--verify-token is empty: give the token you enter in Meta's App Dashboard, or leave it out to have one generated.");
        }

        var settings = new GatewaySettings
        {
            Urls = urls,
            Path = path,
            DataDir = DataDir(configuration),
            VerifyToken = NonEmpty(verifyToken),
            AppSecrets = secrets,
            MaxBodyBytes = maxBody,
            FreeSpaceReserveBytes = reserve,
            HttpsCert = NonEmpty(configuration[ConfigurationKeys.HttpsCert]),
            HttpsKey = NonEmpty(configuration[ConfigurationKeys.HttpsKey]),
            Postgres = NonEmpty(configuration[ConfigurationKeys.Postgres]),
            Watch = WatchSettingsReader.Read(configuration, errors),
            Destinations = DestinationSettingsReader.Read(configuration, errors),
            ReadyzDetails = ReadFlag(configuration, ConfigurationKeys.ReadyzDetails, "--readyz-details", errors),
        };

        CheckPostgres(settings.Postgres, errors);

        CheckHttps(settings, errors);
        CheckDataDir(settings.DataDir, errors);
        CheckPortsFree(settings.Urls, errors);
        return settings;
    }

    public static X509Certificate2? LoadCertificate(GatewaySettings settings, ICollection<string>? errors)
    {
        if (settings.HttpsCert is null || settings.HttpsKey is null)
        {
            return null;
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(settings.HttpsCert, settings.HttpsKey);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            errors?.Add($"--https-cert/--https-key: cannot load a certificate and private key from {settings.HttpsCert} and {settings.HttpsKey} ({ex.Message}). Give a PEM certificate (full chain) and its PEM private key.");
            return null;
        }
    }

    private static readonly string[] AllKeys =
    [
        ConfigurationKeys.Urls, ConfigurationKeys.Path, ConfigurationKeys.DataDir, ConfigurationKeys.VerifyToken,
        ConfigurationKeys.AppSecret, ConfigurationKeys.MaxBodyBytes, ConfigurationKeys.FreeSpaceReserveBytes, ConfigurationKeys.HttpsCert, ConfigurationKeys.HttpsKey, ConfigurationKeys.Postgres,
        ConfigurationKeys.WatchWabaId, ConfigurationKeys.WatchAppId, ConfigurationKeys.AccessToken, ConfigurationKeys.GraphUrl,
        ConfigurationKeys.SubscriptionCheckInterval, ConfigurationKeys.SilenceWarning, ConfigurationKeys.Destinations,
        ConfigurationKeys.ReadyzDetails,
    ];

    private static bool ReadFlag(IConfiguration configuration, string key, string option, ICollection<string> errors)
    {
        var value = configuration[key];
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        if (!bool.TryParse(value, out var flag))
        {
            errors.Add($"{option} '{value}': give true or false.");
        }

        return flag;
    }

    private static List<Uri> ReadUrls(string value, ICollection<string> errors)
    {
        var urls = new List<Uri>();
        var errorsBefore = errors.Count;
        foreach (var part in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Kestrel's wildcard hosts are not valid URI hosts; check the rest of the address with a stand-in.
            var candidate = part.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(candidate, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
            {
                errors.Add($"--urls '{part}': each address must be http://HOST:PORT or https://HOST:PORT, separated by ';' (default {GatewaySettings.DefaultUrls}).");
                continue;
            }

            urls.Add(uri);
        }

        if (urls.Count == 0 && errors.Count == errorsBefore)
        {
            errors.Add($"--urls is empty: give at least one address, e.g. {GatewaySettings.DefaultUrls}.");
        }

        return urls;
    }

    private static long ReadMaxBody(string? value, ICollection<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Hosting.WabaHooksOptions.DefaultMaxBodyBytes;
        }

        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
        {
            errors.Add($"--max-body-bytes '{value}' is not a whole number of bytes (default {Hosting.WabaHooksOptions.DefaultMaxBodyBytes}).");
            return Hosting.WabaHooksOptions.DefaultMaxBodyBytes;
        }

        if (bytes < GatewaySettings.MinimumMaxBodyBytes || bytes > int.MaxValue)
        {
            errors.Add($"--max-body-bytes {bytes}: Meta sends payloads of up to 3 MB, so the limit must be between {GatewaySettings.MinimumMaxBodyBytes} and {int.MaxValue} (default {Hosting.WabaHooksOptions.DefaultMaxBodyBytes}).");
        }

        return bytes;
    }

    private static long ReadFreeSpaceReserve(string? value, ICollection<string> errors)
    {
        const long fallback = Sqlite.SqliteStoreOptions.DefaultFreeSpaceReserveBytes;
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        // AllowLeadingSign so that "-1" is reported as negative, not as "not a number".
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bytes))
        {
            errors.Add($"--free-space-reserve-bytes '{value}' is not a whole number of bytes (default {fallback}, 64 MiB; 0 turns the check off).");
            return fallback;
        }

        if (bytes < 0)
        {
            errors.Add($"--free-space-reserve-bytes {bytes} is negative: give the free bytes to keep on the data directory's disk, or 0 to turn the check off (default {fallback}, 64 MiB).");
            return fallback;
        }

        return bytes;
    }

    private static List<AppSecret> ReadSecrets(IConfigurationSection section, ICollection<string> errors)
    {
        // One value (--app-secret once, WABAHOOKS__APPSECRET) or a list (repeated option, a JSON array, WABAHOOKS__APPSECRET__0).
        var values = section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value).ToList();
        var secrets = new List<AppSecret>();
        foreach (var value in values)
        {
            try
            {
                secrets.Add(AppSecret.Parse(value ?? ""));
            }
            catch (FormatException ex)
            {
                errors.Add($"--app-secret: {ex.Message}");
            }
        }

        // Named here, not only by the endpoint, so the banner shows the names the deliveries will carry.
        secrets = [.. AppSecret.NameByPosition(secrets)];
        var duplicates = secrets.GroupBy(s => s.AppId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        foreach (var appId in duplicates)
        {
            errors.Add($"--app-secret: the app id '{appId}' is given twice. Give each secret once; during a rotation name them differently, e.g. APP_ID-old:SECRET.");
        }

        return secrets;
    }

    private static void CheckHttps(GatewaySettings settings, ICollection<string> errors)
    {
        var wantsHttps = settings.Urls.Any(u => u.Scheme == Uri.UriSchemeHttps);
        if ((settings.HttpsCert is null) != (settings.HttpsKey is null))
        {
            errors.Add("--https-cert and --https-key go together: give both PEM files (the certificate chain and its private key), or neither.");
            return;
        }

        if (settings.HttpsCert is null)
        {
            if (wantsHttps)
            {
                errors.Add("--urls has an https:// address but no certificate: give --https-cert and --https-key (PEM), or terminate TLS at a reverse proxy and listen on http://127.0.0.1.");
            }

            return;
        }

        foreach (var (option, file) in new[] { ("--https-cert", settings.HttpsCert), ("--https-key", settings.HttpsKey!) })
        {
            if (!File.Exists(file))
            {
                errors.Add($"{option}: the file {System.IO.Path.GetFullPath(file)} does not exist or cannot be read.");
            }
        }

        if (File.Exists(settings.HttpsCert) && File.Exists(settings.HttpsKey))
        {
            using var certificate = LoadCertificate(settings, errors);
        }

        if (!wantsHttps)
        {
            errors.Add("--https-cert is given but --urls has no https:// address: add one, e.g. --urls https://0.0.0.0:443.");
        }
    }

    private static void CheckPostgres(string? connectionString, ICollection<string> errors)
    {
        if (connectionString is null)
        {
            return;
        }

        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            errors.Add($"--postgres: not a valid Npgsql connection string ({ex.Message}). Example: \"Host=db;Database=wabahooks;Username=wabahooks;Password=…\".");
        }
    }

    private static void CheckDataDir(string dataDir, ICollection<string> errors)
    {
        var full = System.IO.Path.GetFullPath(dataDir);
        try
        {
            Directory.CreateDirectory(full);
            var probe = System.IO.Path.Combine(full, $".write-probe-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            errors.Add($"--data-dir {full} is not a writable folder ({ex.Message}). Choose a folder this user can create and write, e.g. --data-dir ./wabahooks-data.");
        }
    }

    private static void CheckPortsFree(IReadOnlyList<Uri> urls, ICollection<string> errors)
    {
        foreach (var url in urls)
        {
            if (url.Port == 0 || Address(url.Host) is not { } address)
            {
                continue;
            }

            try
            {
                using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                probe.Bind(new IPEndPoint(address, url.Port));
                probe.Listen();
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                errors.Add($"--urls {url.GetLeftPart(UriPartial.Authority)}: port {url.Port} is already in use. Stop the program that holds it, or choose another port.");
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressNotAvailable or SocketError.AccessDenied)
            {
                errors.Add($"--urls {url.GetLeftPart(UriPartial.Authority)}: cannot listen there ({ex.Message}). Use an address of this machine, e.g. 127.0.0.1 or 0.0.0.0.");
            }
        }
    }

    private static IPAddress? Address(string host) => host switch
    {
        "localhost" => IPAddress.Loopback,
        "0.0.0.0" => IPAddress.Any,
        _ when IPAddress.TryParse(host.Trim('[', ']'), out var ip) => ip,
        _ => null,
    };

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
