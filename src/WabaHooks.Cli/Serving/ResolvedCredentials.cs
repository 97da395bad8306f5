using Microsoft.Extensions.Configuration;
using WabaHooks.Cli.Configuration;

namespace WabaHooks.Cli.Serving;

/// <summary>
/// The verify token and app secret generated locally when none is configured, as configuration values to lay over the
/// rest, so <c>serve</c> runs at once and <c>wabahooks trigger</c> can sign.
/// </summary>
internal sealed record ResolvedCredentials(
    string? GeneratedVerifyToken,
    string? GeneratedAppSecret,
    string CredentialsFile)
{
    /// <summary>The app id the generated secret is recorded under.</summary>
    public const string LocalAppId = "local";

    public static ResolvedCredentials From(IConfiguration configuration, string dataDir)
    {
        var file = LocalCredentials.PathIn(dataDir);
        var hasToken = configuration.GetSection(CliConfiguration.Key("VerifyToken")).Exists();
        var hasSecrets = configuration.GetSection(CliConfiguration.Key("AppSecrets")).Exists();
        if (hasToken && hasSecrets)
        {
            return new(null, null, file);
        }

        var local = LocalCredentials.LoadOrCreate(dataDir);
        return new(hasToken ? null : local.VerifyToken, hasSecrets ? null : local.AppSecret, file);
    }

    /// <summary>The generated values as configuration keys, for the ones not configured.</summary>
    public IEnumerable<KeyValuePair<string, string?>> AsConfiguration()
    {
        if (GeneratedVerifyToken is not null)
        {
            yield return new(CliConfiguration.Key("VerifyToken"), GeneratedVerifyToken);
        }

        if (GeneratedAppSecret is not null)
        {
            yield return new(CliConfiguration.Key("AppSecrets", "0"), $"{LocalAppId}:{GeneratedAppSecret}");
        }
    }
}
