using Microsoft.Extensions.Configuration;
using WabaHooks.Cli.Configuration;
using WabaHooks.Testing;

namespace WabaHooks.Cli.Tests.Configuration;

public sealed class AppSecretSettingsTests
{
    private static (GatewaySettings Settings, List<string> Errors) Read(TempDirectory dir, params string[] secrets)
    {
        var values = new Dictionary<string, string?>
        {
            [ConfigurationKeys.Urls] = "http://127.0.0.1:0",
            [ConfigurationKeys.DataDir] = dir.Path,
        };
        for (var i = 0; i < secrets.Length; i++)
        {
            values[$"{ConfigurationKeys.AppSecret}:{i}"] = secrets[i];
        }

        var errors = new List<string>();
        var settings = SettingsLoader.Read(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), errors);
        return (settings, errors);
    }

    [Fact]
    public void Secrets_without_an_app_id_are_named_by_position_not_by_anything_derived_from_the_secret()
    {
        using var dir = new TempDirectory();

        var (settings, errors) = Read(dir, "1234567890:0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210", "hunter2");

        Assert.Empty(errors);
        Assert.Equal(["1234567890", "secret-2", "secret-3"], settings.AppSecrets.Select(s => s.AppId));
    }

    [Fact]
    public void Two_bare_secrets_get_two_names_so_a_rotation_needs_no_app_ids()
    {
        using var dir = new TempDirectory();

        var (settings, errors) = Read(dir, "0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210");

        Assert.Empty(errors);
        Assert.Equal(["secret-1", "secret-2"], settings.AppSecrets.Select(s => s.AppId));
    }

    [Fact]
    public void An_app_id_given_twice_is_still_a_problem()
    {
        using var dir = new TempDirectory();

        var (_, errors) = Read(dir, "555:0123456789abcdef0123456789abcdef", "555:fedcba9876543210fedcba9876543210");

        Assert.Contains(errors, e => e.Contains("'555' is given twice", StringComparison.Ordinal));
    }
}
