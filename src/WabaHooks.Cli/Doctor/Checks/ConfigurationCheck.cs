using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WabaHooks.Cli.Configuration;
using WabaHooks.Cli.Serving;
using WabaHooks.Hosting.Configuration;

namespace WabaHooks.Cli.Doctor.Checks;

/// <summary>
/// The configuration serve would start with: every problem start-up would report (the settings' validation, addresses,
/// path, certificate files), without serve's check that the ports are free — the serve being checked holds them.
/// </summary>
internal sealed class ConfigurationCheck : IDoctorCheck
{
    public const string Name = "configuration";

    string IDoctorCheck.Name => Name;

    public Task<IReadOnlyList<Finding>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var problems = new List<string>(context.LoadErrors);
        var serve = new ServeOptions();
        var serveSection = context.Configuration.GetSection(CliConfiguration.Key("Serve"));
        SettingsBinder.Bind(serveSection, serve, serveSection.Path, problems);
        var urls = ServeChecks.Urls(serve, problems, checkPortsFree: false);
        ServeChecks.Path(serve, problems);
        using (ServeChecks.Certificate(serve, urls, problems))
        {
        }

        problems.AddRange(ValidationFailures(context));
        IReadOnlyList<Finding> findings = problems.Count == 0
            ? [Finding.Pass(Name, $"serve would start with these settings ({context.Source}).")]
            : [Finding.Fail(Name, string.Join(" ", problems.Select(p => p.TrimEnd('.') + ".")), $"Fix the settings named ({context.Source}); serve would refuse to start with them.")];
        return Task.FromResult(findings);
    }

    /// <summary>Every settings problem of every options type, as serve's start-up validation finds them.</summary>
    private static List<string> ValidationFailures(DoctorContext context)
    {
        // serve fills in a verify token and app secret it generated when none is configured; so does this, so their
        // absence is reported once, by the app secret check, not as a configuration error.
        var generated = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (!context.Configuration.GetSection(CliConfiguration.Key("VerifyToken")).Exists())
        {
            generated[CliConfiguration.Key("VerifyToken")] = "generated-by-serve";
        }

        if (!context.Configuration.GetSection(CliConfiguration.Key("AppSecrets")).Exists())
        {
            generated[CliConfiguration.Key("AppSecrets", "0")] = "local:generated-by-serve";
        }

        if (context.Postgres is null)
        {
            generated[CliConfiguration.Key("Sqlite", "DataDirectory")] = context.DataDir;
        }

        var configuration = new ConfigurationBuilder().AddConfiguration(context.Configuration).AddInMemoryCollection(generated).Build();
        var services = new ServiceCollection();
        GatewayServices.Add(services, configuration, context.Postgres is not null);

        using var provider = services.BuildServiceProvider();
        try
        {
            provider.GetService<IStartupValidator>()?.Validate();
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return [.. ex.Failures];
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            return [.. ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)];
        }
    }
}
