using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using WabaHooks.Cli.Configuration;
using WabaHooks.Cli.Output;
using WabaHooks.Hosting.Inbox;
using WabaHooks.Inbox;
using WabaHooks.Storage;

namespace WabaHooks.Cli.Commands;

/// <summary><c>wabahooks deliveries list|show|reprocess</c>: what arrived, as stored, and running failed ones again.</summary>
internal static class DeliveriesCommand
{
    public static Command Create()
    {
        var command = new Command("deliveries", "Inspect the raw deliveries in the inbox.");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateShow());
        command.Subcommands.Add(CreateReprocess());
        return command;
    }

    private static Command CreateList()
    {
        var common = new CommonOptions();
        var limit = new Option<int>("--limit") { Description = "Show at most this many, newest first.", DefaultValueFactory = _ => 50 };
        var json = new Option<bool>("--json") { Description = "Print one JSON array." };
        var failed = new Option<bool>("--failed") { Description = "Only deliveries the processor marked failed, with the reason." };
        var command = new Command("list", "List deliveries, newest first: id, time received, app, size, flags, and what the processor made of each (events, duplicates, or why it failed; pending until processed).");
        common.AddTo(command);
        command.Options.Add(limit);
        command.Options.Add(json);
        command.Options.Add(failed);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var configuration = common.Load(parse, errors);
            if (errors.Count > 0)
            {
                return CommonOptions.Fail("deliveries list", errors);
            }

            if (parse.GetValue(limit) < 1)
            {
                return CommonOptions.Fail("deliveries list", ["--limit must be at least 1."]);
            }

            await using var store = await StoreAccess.OpenExistingAsync(configuration, cancellationToken).ConfigureAwait(false);
            if (store is null)
            {
                return ExitCodes.NotFound;
            }

            var inbox = new InboxReview(store, store);
            var deliveries = parse.GetValue(failed)
                ? await inbox.ListFailedAsync(parse.GetValue(limit), cancellationToken).ConfigureAwait(false)
                : await inbox.ListAsync(parse.GetValue(limit), null, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize([.. deliveries.Select(d => DeliveryJson.From(d.Summary, d.Outcome))], CliJsonContext.Default.ListDeliveryJson));
                return ExitCodes.Success;
            }

            var table = new TextTable("ID", "RECEIVED (UTC)", "APP", "BYTES", "FLAGS", "EVENTS", "DUPLICATES", "FAILED BECAUSE");
            foreach (var (d, outcome) in deliveries)
            {
                table.Add(
                    d.Id.ToString(CultureInfo.InvariantCulture),
                    d.ReceivedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
                    d.AppId,
                    d.Length.ToString(CultureInfo.InvariantCulture),
                    string.Join(",", DeliveryJson.FlagNames(d.Flags)),
                    outcome is null ? "pending" : outcome.Events.ToString(CultureInfo.InvariantCulture),
                    outcome is null ? "" : outcome.Duplicates.ToString(CultureInfo.InvariantCulture),
                    outcome?.ParseError?.ReplaceLineEndings(" ") ?? "");
            }

            if (deliveries.Count == 0 && parse.GetValue(failed))
            {
                Console.Out.WriteLine("No failed deliveries.");
                return ExitCodes.Success;
            }

            table.Write(Console.Out);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateShow()
    {
        var common = new CommonOptions();
        var id = new Argument<long>("ID") { Description = "The delivery id, from deliveries list." };
        var raw = new Option<bool>("--raw") { Description = "Print only the stored body, byte for byte." };
        var command = new Command("show", "Show one delivery and its body.");
        common.AddTo(command);
        command.Arguments.Add(id);
        command.Options.Add(raw);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var configuration = common.Load(parse, errors);
            if (errors.Count > 0)
            {
                return CommonOptions.Fail("deliveries show", errors);
            }

            await using var store = await StoreAccess.OpenExistingAsync(configuration, cancellationToken).ConfigureAwait(false);
            if (store is null)
            {
                return ExitCodes.NotFound;
            }

            var delivery = await store.GetAsync(parse.GetValue(id), cancellationToken).ConfigureAwait(false);
            if (delivery is null)
            {
                await Console.Error.WriteLineAsync($"wabahooks: no delivery with id {parse.GetValue(id)}.").ConfigureAwait(false);
                return ExitCodes.NotFound;
            }

            if (parse.GetValue(raw))
            {
                await using var stdout = Console.OpenStandardOutput();
                await stdout.WriteAsync(delivery.Body, cancellationToken).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var s = delivery.Summary;
            var output = Console.Out;
            output.WriteLine($"Id:        {s.Id}");
            output.WriteLine($"Received:  {s.ReceivedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}");
            output.WriteLine($"App:       {s.AppId}");
            output.WriteLine($"Bytes:     {s.Length}");
            output.WriteLine($"Flags:     {(s.Flags == 0 ? "none" : string.Join(", ", DeliveryJson.FlagNames(s.Flags)))}");
            output.WriteLine();
            output.WriteLine(Encoding.UTF8.GetString(delivery.Body.Span));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateReprocess()
    {
        var common = new CommonOptions();
        var ids = new Argument<long[]>("ID") { Description = "The delivery ids, from deliveries list.", Arity = ArgumentArity.ZeroOrMore };
        var failed = new Option<bool>("--failed") { Description = "Every delivery marked failed (deliveries list --failed)." };
        var command = new Command(
            "reprocess",
            "Run processed deliveries through the processor again, after an upgrade that fixes why they failed. Events they already gave are deduplicated on their keys, so no handler or destination receives one twice.");
        common.AddTo(command);
        command.Arguments.Add(ids);
        command.Options.Add(failed);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var configuration = common.Load(parse, errors);
            var chosen = parse.GetValue(ids) ?? [];
            if ((chosen.Length > 0) == parse.GetValue(failed))
            {
                errors.Add("Name the deliveries to reprocess (IDs) or pass --failed, not both.");
            }

            if (errors.Count > 0)
            {
                return CommonOptions.Fail("deliveries reprocess", errors);
            }

            await using var store = await StoreAccess.OpenExistingAsync(configuration, cancellationToken).ConfigureAwait(false);
            if (store is null)
            {
                return ExitCodes.NotFound;
            }

            var (queued, leftAsTheyAre) = await new InboxReview(store, store).ReprocessAsync(parse.GetValue(failed) ? null : chosen, cancellationToken).ConfigureAwait(false);
            foreach (var missing in leftAsTheyAre)
            {
                await Console.Error.WriteLineAsync($"wabahooks: delivery {missing} is unknown or not processed yet; left as it is.").ConfigureAwait(false);
            }

            if (queued.Count == 0)
            {
                Console.Out.WriteLine(parse.GetValue(failed) ? "No failed deliveries." : "Nothing to reprocess.");
                return chosen.Length > 0 ? ExitCodes.NotFound : ExitCodes.Success;
            }

            var list = string.Join(", ", queued.Select(id => id.ToString(CultureInfo.InvariantCulture)));
            Console.Out.WriteLine($"{queued.Count} {(queued.Count == 1 ? "delivery" : "deliveries")} will be processed again: {list}.");
            Console.Out.WriteLine("A running serve takes them within a second; otherwise the next serve does. See the outcome with: wabahooks deliveries list");
            return ExitCodes.Success;
        });
        return command;
    }
}
