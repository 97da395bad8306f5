using WabaHooks.Cli.Configuration;
using WabaHooks.Signatures;

namespace WabaHooks.Cli.Serving;

/// <summary>The verify token and app secrets in force, and which of them were generated locally.</summary>
internal sealed record ResolvedCredentials(
    string VerifyToken,
    IReadOnlyList<AppSecret> AppSecrets,
    bool VerifyTokenGenerated,
    string? GeneratedAppSecret,
    string CredentialsFile)
{
    public static ResolvedCredentials From(GatewaySettings settings)
    {
        var file = LocalCredentials.PathIn(settings.DataDir);
        if (settings.VerifyToken is not null && settings.AppSecrets.Count > 0)
        {
            return new(settings.VerifyToken, settings.AppSecrets, false, null, file);
        }

        var local = LocalCredentials.LoadOrCreate(settings.DataDir);
        var secrets = settings.AppSecrets.Count > 0 ? settings.AppSecrets : [new AppSecret("local", local.AppSecret)];
        return new(
            settings.VerifyToken ?? local.VerifyToken,
            secrets,
            settings.VerifyToken is null,
            settings.AppSecrets.Count > 0 ? null : local.AppSecret,
            file);
    }
}
