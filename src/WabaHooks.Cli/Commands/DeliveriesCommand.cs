using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using WabaHooks.Cli.Configuration;
using WabaHooks.Cli.Output;

namespace WabaHooks.Cli.Commands;

/// <summary><c>wabahooks deliveries list|show</c>: what arrived, as stored.</summary>
internal static class DeliveriesCommand
{
    public static Command Create()
    {
        var command = new Command("deliveries", "Inspect the raw deliveries in the inbox.");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateShow());
        return command;
    }

    private static Command CreateList()
    {
        var common = new CommonOptions();
        var limit = new Option<int>("--limit") { Description = "Show at most this many, newest first.", DefaultValueFactory = _ => 50 };
        var json = new Option<bool>("--json") { Description = "Print one JSON array." };
        var command = new Command("list", "List deliveries, newest first: id, time received, app, size, flags, and what the processor made of each (events, duplicates, parse error; pending until processed).");
        common.AddTo(command);
        command.Options.Add(limit);
        command.Options.Add(json);
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

            var deliveries = await store.ListAsync(parse.GetValue(limit), null, cancellationToken).ConfigureAwait(false);
            var outcomes = await DeliveryOutcomes.ForAsync(store, deliveries, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize([.. deliveries.Select(d => DeliveryJson.From(d, outcomes.GetValueOrDefault(d.Id)))], CliJsonContext.Default.ListDeliveryJson));
                return ExitCodes.Success;
            }

            var table = new TextTable("ID", "RECEIVED (UTC)", "APP", "BYTES", "FLAGS", "EVENTS", "DUPLICATES", "PARSE ERROR");
            foreach (var d in deliveries)
            {
                var outcome = outcomes.GetValueOrDefault(d.Id);
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
}
