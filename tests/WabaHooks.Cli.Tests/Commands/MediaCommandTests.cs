using System.Text;
using WabaHooks.Cli.Tests.Support;
using WabaHooks.Hosting.Media;
using WabaHooks.Media;
using WabaHooks.Testing;

namespace WabaHooks.Cli.Tests.Commands;

/// <summary><c>wabahooks media get WAMID</c>: the kept media, to standard output or a file, from the data directory's media folder.</summary>
public sealed class MediaCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Media_get_writes_the_kept_media_to_standard_output_and_describes_it_on_standard_error()
    {
        using var dir = new TempDirectory();
        var bytes = Encoding.ASCII.GetBytes("a voice note, as kept");
        await KeepAsync(Path.Combine(dir.Path, "media"), "wamid.GET1", bytes, "audio/ogg");

        var result = await CliCommand.RunAsync("media", "get", "wamid.GET1", "--data-dir", dir.Path);

        Assert.True(result.ExitCode == 0, result.AllOutput());
        Assert.Equal("a voice note, as kept", result.StandardOutput);
        Assert.Contains($"audio/ogg, {bytes.Length} bytes, sha256 ", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Media_get_with_output_writes_the_exact_bytes_to_the_file()
    {
        using var dir = new TempDirectory();
        byte[] bytes = [0xFF, 0xD8, 0x00, 0x01, 0x80, 0xFE, 0xFF, 0xD9];
        var media = Path.Combine(dir.Path, "elsewhere");
        await KeepAsync(media, "wamid.GET2", bytes, "image/jpeg");
        var output = Path.Combine(dir.Path, "out.jpg");

        var result = await CliCommand.RunAsync(
            new Dictionary<string, string> { ["WabaHooks__Media__Directory"] = media },
            "media", "get", "wamid.GET2", "--output", output, "--data-dir", dir.Path);

        Assert.True(result.ExitCode == 0, result.AllOutput());
        Assert.Equal(bytes, await File.ReadAllBytesAsync(output, Ct));
        Assert.Equal("", result.StandardOutput);
    }

    [Fact]
    public async Task Media_get_for_a_message_with_no_kept_media_says_so_and_exits_not_found()
    {
        using var dir = new TempDirectory();

        var result = await CliCommand.RunAsync("media", "get", "wamid.NONE", "--data-dir", dir.Path);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("no media kept for message wamid.NONE", result.StandardError, StringComparison.Ordinal);
    }

    private static async Task KeepAsync(string directory, string wamid, byte[] bytes, string mimeType)
    {
        using var content = new MemoryStream(bytes);
        await new DirectoryMediaStore(directory).SaveAsync(
            new StoredMedia(wamid, "1300000000000999", mimeType, Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(bytes)), bytes.Length, "", DateTimeOffset.UnixEpoch),
            content,
            Ct);
    }
}
