using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Cli.Configuration;
using WabaHooks.Hosting.Media;

namespace WabaHooks.Cli.Commands;

/// <summary><c>wabahooks media get WAMID</c>: the media serve kept for an inbound message (<c>Media</c> settings).</summary>
internal static class MediaCommand
{
    public static Command Create()
    {
        var command = new Command("media", "The media kept on arrival (see the Media settings).");
        command.Subcommands.Add(CreateGet());
        return command;
    }

    /// <summary>Where serve keeps media: <c>WabaHooks:Media:Directory</c>, else <c>media</c> in the data directory.</summary>
    public static string Directory(IConfiguration configuration) =>
        configuration[CliConfiguration.Key(WabaHooksBuilderMediaExtensions.SectionKey, "Directory")] is { Length: > 0 } directory && !string.IsNullOrWhiteSpace(directory)
            ? directory
            : Path.Combine(CliConfiguration.DataDir(configuration), "media");

    private static Command CreateGet()
    {
        var common = new CommonOptions();
        var wamid = new Argument<string>("WAMID") { Description = "The inbound message's id (wamid.…; a voicemail's is the call's wacid.…)." };
        var output = new Option<string?>("--output", "-o") { Description = "Write the media to this file [default: standard output]." };
        var command = new Command("get", "Write the kept media of a message to standard output or a file; its type, size and SHA-256 go to standard error.");
        common.AddTo(command);
        command.Arguments.Add(wamid);
        command.Options.Add(output);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var configuration = common.Load(parse, errors);
            if (errors.Count > 0)
            {
                return CommonOptions.Fail("media get", errors);
            }

            var id = parse.GetValue(wamid)!;
            var store = new DirectoryMediaStore(Directory(configuration));
            var media = await store.FindAsync(id, cancellationToken).ConfigureAwait(false);
            await using var content = media is null ? null : await store.OpenReadAsync(id, cancellationToken).ConfigureAwait(false);
            if (media is null || content is null)
            {
                await Console.Error.WriteLineAsync($"wabahooks: no media kept for message {id} in {store.Directory}.").ConfigureAwait(false);
                return ExitCodes.NotFound;
            }

            if (parse.GetValue(output) is { } path)
            {
                await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
                await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await using var stdout = Console.OpenStandardOutput();
                await content.CopyToAsync(stdout, cancellationToken).ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync($"{media.MimeType ?? "unknown type"}, {media.Length} bytes, sha256 {media.Sha256}, media id {media.MediaId}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
