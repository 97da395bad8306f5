using WabaHooks.Testing;
using WabaHooks.Testing.Processes;
using WabaHooks.Testing.Storage;

namespace WabaHooks.Cli.Tests.Doctor;

/// <summary>The doctor's store checks on a real PostgreSQL cluster.</summary>
public sealed class DoctorPostgresTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task An_unmigrated_database_fails_the_schema_check_until_migrate_has_run()
    {
        var database = await postgres.CreateDatabaseAsync();

        var before = await DoctorRun.RunAsync("--postgres", database, "--graph-url", "http://127.0.0.1:9");
        var migrate = await CliProcess.RunAsync(["migrate", "--postgres", database]);
        var after = await DoctorRun.RunAsync("--postgres", database, "--graph-url", "http://127.0.0.1:9");

        before.AssertVerdict("store reachable", "pass");
        Assert.Equal("fail", before["store schema"].Verdict);
        Assert.StartsWith("behind: version 0, this wabahooks writes ", before["store schema"].Detail, StringComparison.Ordinal);
        Assert.Equal(0, migrate.ExitCode);
        after.AssertVerdict("store schema", "pass");
        after.AssertVerdict("disk space", "skip");
    }

    [Fact]
    public async Task A_server_that_does_not_answer_fails_the_reachable_check_without_showing_the_password()
    {
        var unreachable = $"Host=127.0.0.1;Port={FreePort.Next()};Database=wabahooks;Username=wabahooks;Password=doctor-pg-password-1;Timeout=3";

        var run = await DoctorRun.RunAsync("--postgres", unreachable, "--graph-url", "http://127.0.0.1:9");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("fail", run["store reachable"].Verdict);
        Assert.StartsWith("cannot connect to PostgreSQL (host 127.0.0.1:", run["store reachable"].Detail, StringComparison.Ordinal);
        run.AssertVerdict("store schema", "skip");
        Assert.DoesNotContain("doctor-pg-password-1", run.Output, StringComparison.Ordinal);
    }
}
