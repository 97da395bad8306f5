using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Graph.Watchdog;
using WabaHooks.Postgres;
using WabaHooks.Sqlite;
using WabaHooks.Testing;

namespace WabaHooks.Hosting.Tests.Configuration;

/// <summary>
/// <c>AddWabaHooks(configuration)</c> binds the whole WabaHooks section: app secrets in either form, secrets from files,
/// the store's and the watchdog's sub-sections; and stops start-up with every problem at once, no secret in any.
/// </summary>
public sealed class WabaHooksBindingTests
{
    [Fact]
    public void App_secrets_are_APP_ID_SECRET_strings_or_objects_and_unnamed_ones_are_named_by_position()
    {
        using var bound = Bound.From("""
            { "VerifyToken": "token", "AppSecrets": [
                "1234567890:0123456789abcdef0123456789abcdef",
                { "AppId": "555", "Secret": "fedcba9876543210fedcba9876543210" },
                "hunter2",
                { "Secret": "0123456789abcdef" } ] }
            """);

        Assert.Empty(bound.Problems);
        Assert.Equal(["1234567890", "555", "secret-3", "secret-4"], Signatures.AppSecret.NameByPosition(bound.Options.AppSecrets).Select(s => s.AppId));
    }

    [Fact]
    public void One_app_secret_may_be_a_single_string_as_an_environment_variable_gives_it()
    {
        using var bound = Bound.From("""{ "VerifyToken": "token", "AppSecrets": "555:0123456789abcdef" }""");

        Assert.Empty(bound.Problems);
        Assert.Equal("555", Assert.Single(bound.Options.AppSecrets).AppId);
    }

    [Fact]
    public void An_app_id_given_twice_is_a_problem()
    {
        using var bound = Bound.From("""{ "VerifyToken": "t", "AppSecrets": [ "555:0123456789abcdef", "555:fedcba9876543210" ] }""");

        Assert.Contains("AppSecrets: the app id '555' is given twice", Assert.Single(bound.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Secrets_may_be_read_from_files_without_their_trailing_line_break()
    {
        using var dir = new TempDirectory();
        var token = Path.Combine(dir.Path, "verify_token");
        var secret = Path.Combine(dir.Path, "app_secret");
        File.WriteAllText(token, "from-a-file\n");
        File.WriteAllText(secret, "0123456789abcdef\r\n");

        using var bound = Bound.From($$"""
            { "VerifyToken": { "File": "{{token}}" }, "AppSecrets": [ { "AppId": "555", "Secret": { "File": "{{secret}}" } } ] }
            """);

        Assert.Empty(bound.Problems);
        Assert.Equal("from-a-file", bound.Options.VerifyToken);
        var body = "{}"u8;
        Assert.Equal(Signatures.WebhookSignature.Sign(body, "0123456789abcdef"), Signatures.WebhookSignature.Sign(body, Assert.Single(bound.Options.AppSecrets)));
    }

    [Fact]
    public void A_secret_file_that_cannot_be_read_is_a_problem_naming_the_file()
    {
        using var dir = new TempDirectory();
        var missing = Path.Combine(dir.Path, "nowhere");

        using var bound = Bound.From($$"""{ "VerifyToken": { "File": "{{missing}}" }, "AppSecrets": [ "app:secret" ] }""");

        Assert.Contains(bound.Problems, p => p.StartsWith($"WabaHooks:VerifyToken: cannot read the secret file {missing}", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_of_every_section_is_in_one_report_and_no_secret_is_in_any()
    {
        using var bound = Bound.From(
            """
            { "VerifyToken": { "Path": "verify-token-4471" }, "AppSecrets": [ { "AppId": "a", "Secrt": "app-secret-4471" } ],
              "MaxBodyBytes": 4294967296, "AppendTimeout": "soon", "Procesor": { "BatchSize": 10 },
              "Processor": { "BatchSize": 0, "StalledAfter": -1 }, "Handlers": { "MaxAttempts": "many" },
              "Sqlite": { "DataDirectory": "" , "WalSizeLimitBytes": 1000 } }
            """,
            b => b.UseSqlite());

        foreach (var expected in new[]
        {
            "WabaHooks:VerifyToken: give the secret as a string, or as { \"File\": \"/run/secrets/name\" }",
            "WabaHooks:AppSecrets:0:Secrt is not a setting. Did you mean Secret?",
            "WabaHooks:AppSecrets:0 has no Secret",
            "WabaHooks:AppendTimeout is 'soon': expected a number of seconds",
            "WabaHooks:Procesor is not a setting. Did you mean Processor?",
            "WabaHooks:Handlers:MaxAttempts is 'many': expected a whole number",
            "MaxBodyBytes is 4294967296: it must be at most 2147483647",
            "Processor.BatchSize is 0",
            "Processor.StalledAfter is -00:00:01",
            "Sqlite:DataDirectory is not set",
            "Sqlite:WalSizeLimitBytes is 1000",
        })
        {
            Assert.Contains(bound.Problems, p => p.Contains(expected, StringComparison.Ordinal));
        }

        Assert.Equal(11, bound.Problems.Count);
        Assert.DoesNotContain(bound.Problems, p => p.StartsWith("VerifyToken is empty", StringComparison.Ordinal) || p.StartsWith("No app secret", StringComparison.Ordinal));
        Assert.All(bound.Problems, p => Assert.DoesNotContain("4471", p, StringComparison.Ordinal));
    }

    [Fact]
    public void A_section_for_an_extension_the_application_does_not_use_says_which_call_reads_it()
    {
        using var bound = Bound.Valid(""" "Postgres": { "ConnectionString": "Host=db" } """, b => b.UseSqlite(dir => dir.DataDirectory = "data"));

        Assert.Contains("WabaHooks:Postgres is read by UsePostgres(), which this application does not use", Assert.Single(bound.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void UseSqlite_reads_the_Sqlite_section_and_code_adjusts_it_afterwards()
    {
        using var dir = new TempDirectory();
        using var bound = Bound.Valid(
            $$""" "Sqlite": { "DataDirectory": "{{dir.Path}}", "FreeSpaceReserveBytes": 0, "BusyTimeout": 1 } """,
            b => b.UseSqlite(o => o.WalSizeLimitBytes = 2 * 1024 * 1024));

        Assert.Empty(bound.Problems);
        var sqlite = bound.Get<SqliteStoreOptions>();
        Assert.Equal(Path.Combine(dir.Path, "wabahooks.db"), sqlite.DatabasePath);
        Assert.Equal(0, sqlite.FreeSpaceReserveBytes);
        Assert.Equal(TimeSpan.FromSeconds(1), sqlite.BusyTimeout);
        Assert.Equal(2 * 1024 * 1024, sqlite.WalSizeLimitBytes);
    }

    [Fact]
    public void UsePostgres_reads_its_connection_string_from_a_file_and_never_shows_a_bad_one()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "pg");
        File.WriteAllText(file, "Host=db;Password=pg-password-4471;Bogus Key=1\n");

        using var bound = Bound.Valid($$""" "Postgres": { "ConnectionString": { "File": "{{file}}" }, "LockTimeout": 3 } """, b => b.UsePostgres());

        var problem = Assert.Single(bound.Problems);
        Assert.Contains("Postgres:ConnectionString is not a valid Npgsql connection string", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("4471", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void UsePostgres_reads_its_section()
    {
        using var bound = Bound.Valid(""" "Postgres": { "ConnectionString": "Host=db;Database=w", "LockTimeout": 3 } """, b => b.UsePostgres());

        Assert.Empty(bound.Problems);
        Assert.Equal(("Host=db;Database=w", TimeSpan.FromSeconds(3)), (bound.Get<PostgresStoreOptions>().ConnectionString, bound.Get<PostgresStoreOptions>().LockTimeout));
    }

    [Fact]
    public void The_watchdog_reads_its_section_and_needs_a_token_only_when_it_watches()
    {
        using var watching = Bound.Valid(""" "Watchdog": { "WabaIds": "111, 222", "SilenceWarning": 0, "Graph": { "BaseUrl": "http://127.0.0.1:9", "AccessToken": "graph-token" } } """, b => b.AddSubscriptionWatchdog());
        using var idle = Bound.Valid(""" "Watchdog": { "SubscriptionCheckInterval": 60 } """, b => b.AddSubscriptionWatchdog());

        Assert.Empty(watching.Problems);
        var options = watching.Get<WatchdogOptions>();
        Assert.Equal(["111", "222"], options.WabaIds);
        Assert.Equal(TimeSpan.Zero, options.SilenceWarning);
        Assert.Equal((new Uri("http://127.0.0.1:9"), "graph-token"), (options.Graph.BaseUrl, options.Graph.AccessToken));
        Assert.Empty(idle.Problems);
        Assert.Equal(TimeSpan.FromMinutes(1), idle.Get<WatchdogOptions>().SubscriptionCheckInterval);
    }

    [Fact]
    public void Settings_given_in_code_apply_after_the_configuration()
    {
        var configuration = Bound.Json("""{ "WabaHooks": { "VerifyToken": "from-config", "MaxBodyBytes": 2048, "AppSecrets": [ "a:b" ] } }""");
        var services = new ServiceCollection();
        services.AddWabaHooks(configuration.GetSection("WabaHooks"), o => o.MaxBodyBytes = 4096);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<WabaHooksOptions>>().Value;
        Assert.Equal(("from-config", 4096L), (options.VerifyToken, options.MaxBodyBytes));
    }
}
