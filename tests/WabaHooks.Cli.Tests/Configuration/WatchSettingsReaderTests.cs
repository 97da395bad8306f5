using Microsoft.Extensions.Configuration;
using WabaHooks.Cli.Configuration;

namespace WabaHooks.Cli.Tests.Configuration;

public sealed class WatchSettingsReaderTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    private static string? NoEnvironment(string name) => null;

    [Fact]
    public void Without_a_watched_WABA_the_watchdog_is_off_and_the_defaults_hold()
    {
        var errors = new List<string>();

        var settings = WatchSettingsReader.Read(Config(), errors, NoEnvironment);

        Assert.Empty(errors);
        Assert.Empty(settings.WabaIds);
        Assert.Equal(TimeSpan.FromMinutes(15), settings.SubscriptionCheckInterval);
        Assert.Equal(TimeSpan.FromHours(1), settings.SilenceWarning);
    }

    [Theory]
    [InlineData("90", 90)]
    [InlineData("00:02:00", 120)]
    [InlineData("0", 0)]
    public void Durations_are_whole_seconds_or_a_TimeSpan(string value, int seconds)
    {
        var errors = new List<string>();

        var settings = WatchSettingsReader.Read(Config(("SilenceWarning", value)), errors, NoEnvironment);

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromSeconds(seconds), settings.SilenceWarning);
    }

    [Fact]
    public void The_token_falls_back_to_WABAHOOKS_ACCESS_TOKEN_and_is_never_shown()
    {
        var errors = new List<string>();

        var settings = WatchSettingsReader.Read(
            Config(("WatchWabaId:0", "109876543210001"), ("WatchWabaId:1", "109876543210002")),
            errors,
            name => name == "WABAHOOKS_ACCESS_TOKEN" ? "EAAG-from-environment" : null);

        Assert.Empty(errors);
        Assert.Equal(["109876543210001", "109876543210002"], settings.WabaIds);
        Assert.Equal("EAAG-from-environment", settings.AccessToken);
        Assert.DoesNotContain("EAAG", settings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var errors = new List<string>();

        WatchSettingsReader.Read(
            Config(("WatchWabaId", "109876543210001"), ("SubscriptionCheckInterval", "0"), ("SilenceWarning", "later"), ("GraphUrl", "nowhere")),
            errors,
            NoEnvironment);

        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.Contains("--access-token", StringComparison.Ordinal));
    }
}
