using WabaHooks.Testing;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Doctor;

/// <summary>The disk space check on a small real filesystem (a tmpfs), where the numbers are known.</summary>
public sealed class DoctorDiskSpaceTests
{
    [Fact]
    public async Task A_data_directory_with_little_room_fails_and_one_below_the_reserve_says_deliveries_are_refused_now()
    {
        using var disk = TmpfsMount.MountOrSkip(32);
        var data = disk.Combine("data");

        var near = await RunAsync(data, reserveBytes: 1024 * 1024);
        var below = await RunAsync(data, reserveBytes: 64L * 1024 * 1024);

        Assert.Equal("fail", near["disk space"].Verdict);
        Assert.EndsWith("Less than 1 GiB above the reserve: deliveries will be refused soon.", near["disk space"].Detail, StringComparison.Ordinal);
        Assert.Equal("fail", below["disk space"].Verdict);
        Assert.EndsWith("Below the reserve: serve answers new deliveries 503 now.", below["disk space"].Detail, StringComparison.Ordinal);
        Assert.Contains($"free for {data} (reserve 64.0 MiB)", below["disk space"].Detail, StringComparison.Ordinal);
    }

    private static async Task<DoctorRun> RunAsync(string data, long reserveBytes)
    {
        var result = await CliProcess.RunAsync(
            ["doctor", "--json", "--data-dir", data, "--graph-url", "http://127.0.0.1:9"],
            environment: new Dictionary<string, string> { ["WabaHooks__Sqlite__FreeSpaceReserveBytes"] = reserveBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return DoctorRun.Parse(result);
    }
}
