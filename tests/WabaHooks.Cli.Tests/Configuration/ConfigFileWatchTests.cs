using WabaHooks.Cli.Configuration;
using WabaHooks.Testing;

namespace WabaHooks.Cli.Tests.Configuration;

/// <summary>
/// serve follows its configuration file (secrets rotate without a restart) by polling the one file, so the data folder
/// that usually sits below it (./wabahooks-data beside ./wabahooks.json) does not wake a watcher on every SQLite write.
/// </summary>
public sealed class ConfigFileWatchTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_watched_configuration_file_is_still_read_again_when_it_changes()
    {
        var file = Write("""{ "WabaHooks": { "VerifyToken": "first" } }""");
        var root = CliConfiguration.Build(file, [], new List<string>(), watch: true);
        Assert.Equal("first", root["WabaHooks:VerifyToken"]);

        Write("""{ "WabaHooks": { "VerifyToken": "second" } }""");

        await Await.UntilAsync(() => root["WabaHooks:VerifyToken"] == "second", "the changed file is read again");
    }

    private string Write(string json)
    {
        var path = _dir.Combine("wabahooks.json");
        File.WriteAllText(path + ".tmp", json);
        File.Move(path + ".tmp", path, overwrite: true);
        return path;
    }
}
