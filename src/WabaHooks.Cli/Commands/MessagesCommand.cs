using System.CommandLine;
using System.Text.Json;
using WabaHooks.Cli.Configuration;
using WabaHooks.Cli.Output;

namespace WabaHooks.Cli.Commands;

/// <summary><c>wabahooks messages status WAMID</c>: where an outbound message stands, from the statuses Meta sent.</summary>
internal static class MessagesCommand
{
    public static Command Create()
    {
        var command = new Command("messages", "Inspect outbound messages by their statuses.");
        command.Subcommands.Add(CreateStatus());
        return command;
    }

    private static Command CreateStatus()
    {
        var common = new CommonOptions();
        var wamid = new Argument<string>("WAMID") { Description = "The message id (wamid.…) that the send call returned." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command(
            "status",
            "Show a message's current status (sent < delivered < read < played; failed is final) and every status received, marking those that moved it.");
        common.AddTo(command);
        command.Arguments.Add(wamid);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var configuration = common.Load(parse, errors);
            if (errors.Count > 0)
            {
                return CommonOptions.Fail("messages status", errors);
            }

            await using var store = await StoreAccess.OpenExistingAsync(configuration, cancellationToken).ConfigureAwait(false);
            if (store is null)
            {
                return ExitCodes.NotFound;
            }

            var id = parse.GetValue(wamid)!;
            var history = await StoreAccess.Queries(store).GetMessageStatusAsync(id, cancellationToken).ConfigureAwait(false);
            if (history is null)
            {
                await Console.Error.WriteLineAsync($"wabahooks: no status received for message {id}.").ConfigureAwait(false);
                return ExitCodes.NotFound;
            }

            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(MessageStatusJson.From(history), OutputJsonContext.Default.MessageStatusJson));
                return ExitCodes.Success;
            }

            MessageStatusView.Write(Console.Out, history);
            return ExitCodes.Success;
        });
        return command;
    }
}
