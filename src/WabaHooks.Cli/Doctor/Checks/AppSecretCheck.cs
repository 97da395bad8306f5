namespace WabaHooks.Cli.Doctor.Checks;

/// <summary>
/// That Meta's deliveries can be verified at all: an app secret must be configured. Without one serve signs with a
/// locally generated secret, fine for <c>wabahooks trigger</c>, but every delivery from Meta is refused with 401.
/// </summary>
internal sealed class AppSecretCheck : IDoctorCheck
{
    public const string Name = "app secret";

    string IDoctorCheck.Name => Name;

    public Task<IReadOnlyList<Finding>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        IReadOnlyList<Finding> findings = context.AppSecrets.Count > 0
            ? [Finding.Pass(Name, $"{context.AppSecrets.Count} configured ({string.Join(", ", context.AppSecrets.Select(s => s.AppId))}); the secrets themselves are not shown.")]
            : [Finding.Fail(
                Name,
                "none configured: serve verifies with the secret it generated for local tests, so every delivery from Meta is refused (401).",
                "Give your app's secret (App Dashboard > App settings > Basic): WabaHooks:AppSecrets in the configuration, WabaHooks__AppSecrets__0=APP_ID:SECRET, or serve --app-secret.")];
        return Task.FromResult(findings);
    }
}
