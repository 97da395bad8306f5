using Microsoft.Data.Sqlite;
using WabaHooks.Testing;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Doctor;

/// <summary>The doctor reads the store as it is, and never creates or migrates one.</summary>
public sealed class DoctorStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task A_store_behind_this_schema_version_fails_with_migrate_as_the_fix_and_is_left_as_it_was()
    {
        var data = _dir.Combine("data");
        Directory.CreateDirectory(data);
        var path = Path.Combine(data, "wabahooks.db");
        Execute(path, "PRAGMA user_version = 1;");

        var run = await DoctorRun.RunAsync("--data-dir", data, "--graph-url", "http://127.0.0.1:9");

        Assert.Equal(1, run.ExitCode);
        run.AssertVerdict("store reachable", "pass");
        var schema = run["store schema"];
        Assert.Equal("fail", schema.Verdict);
        Assert.StartsWith("behind: version 1, this wabahooks writes ", schema.Detail, StringComparison.Ordinal);
        Assert.Contains("wabahooks migrate", schema.Fix, StringComparison.Ordinal);
        Assert.Equal(1L, Execute(path, "PRAGMA user_version;"));
    }

    [Fact]
    public async Task A_data_directory_without_a_store_fails_and_none_is_created()
    {
        var data = _dir.Combine("empty");

        var run = await DoctorRun.RunAsync("--data-dir", data, "--graph-url", "http://127.0.0.1:9");

        Assert.Equal(1, run.ExitCode);
        run.AssertVerdict("store reachable", "fail");
        run.AssertVerdict("store schema", "skip");
        Assert.Contains("start serve once", run["store reachable"].Fix, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data, "wabahooks.db")));
    }

    [Fact]
    public async Task Doctor_options_that_make_no_sense_exit_2_before_checking_anything()
    {
        var result = await CliProcess.RunAsync(["doctor", "--url", "not a url", "--timeout", "0"], _dir.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--url must be an absolute https", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("--timeout must be between", result.StandardError, StringComparison.Ordinal);
    }

    private static object? Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Dispose() => _dir.Dispose();
}
