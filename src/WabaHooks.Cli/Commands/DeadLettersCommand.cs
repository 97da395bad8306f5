using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Hosting.Replay;
using WabaHooks.Cli.Output;

namespace WabaHooks.Cli.Commands;

/// <summary><c>wabahooks dead-letters list|retry</c>: (event, sink) pairs that ran out of attempts.</summary>
internal static class DeadLettersCommand
{
    public static Command Create()
    {
        var command = new Command("dead-letters", "Events a destination or handler never took within its retry policy.");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateRetry());
        return command;
    }

    private static Command CreateList()
    {
        var common = new CommonOptions();
        var (destination, sink) = SinkOptions();
        var limit = new Option<int>("--limit") { Description = "Show at most this many, newest first.", DefaultValueFactory = _ => 50 };
        var json = new Option<bool>("--json") { Description = "Print one JSON array." };
        var command = new Command("list", "List dead letters, newest first: sink, event, attempts, when and why the last attempt failed.");
        common.AddTo(command);
        command.Options.Add(destination);
        command.Options.Add(sink);
        command.Options.Add(limit);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var configuration = common.Load(parse, errors);
            var sinkName = SinkName(parse, destination, sink, configuration, errors);
            if (parse.GetValue(limit) < 1)
            {
                errors.Add("--limit must be at least 1.");
            }

            if (errors.Count > 0)
            {
                return CommonOptions.Fail("dead-letters list", errors);
            }

            await using var store = await StoreAccess.OpenExistingAsync(configuration, cancellationToken).ConfigureAwait(false);
            if (store is null)
            {
                return ExitCodes.NotFound;
            }

            var dead = (await StoreAccess.Queries(store).ListDeadLettersAsync(sinkName, parse.GetValue(limit), null, cancellationToken).ConfigureAwait(false))
                .Items.Select(d => d.Item).ToList();
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize([.. dead.Select(DeadLetterJson.From)], OutputJsonContext.Default.ListDeadLetterJson));
                return ExitCodes.Success;
            }

            if (dead.Count == 0)
            {
                Console.Out.WriteLine("No dead letters.");
                return ExitCodes.Success;
            }

            var table = new TextTable("SINK", "EVENT", "DELIVERY", "ATTEMPTS", "LAST ATTEMPT (UTC)", "LAST ERROR");
            foreach (var item in dead)
            {
                table.Add(
                    item.Sink, item.EventId, item.DeliveryId.ToString(CultureInfo.InvariantCulture), item.Attempts.ToString(CultureInfo.InvariantCulture),
                    Timestamps.Utc(item.NextAttemptAt), item.LastError ?? "-");
            }

            table.Write(Console.Out);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateRetry()
    {
        var common = new CommonOptions();
        var (destination, sink) = SinkOptions();
        var command = new Command(
            "retry",
            "Make dead letters due again now, with a fresh retry window; a running serve sends them with the same idempotency key. Without --destination or --sink, every dead letter.");
        common.AddTo(command);
        command.Options.Add(destination);
        command.Options.Add(sink);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var configuration = common.Load(parse, errors);
            var sinkName = SinkName(parse, destination, sink, configuration, errors);
            if (errors.Count > 0)
            {
                return CommonOptions.Fail("dead-letters retry", errors);
            }

            await using var store = await StoreAccess.OpenExistingAsync(configuration, cancellationToken).ConfigureAwait(false);
            if (store is null)
            {
                return ExitCodes.NotFound;
            }

            var count = await new SinkReplay(store, store, TimeProvider.System).RetryDeadLettersAsync(sinkName, cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine($"{count.ToString(CultureInfo.InvariantCulture)} dead letter{(count == 1 ? "" : "s")} due again{(sinkName is null ? "" : $" for {sinkName}")}. A running wabahooks serve sends them now.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static (Option<string?> Destination, Option<string?> Sink) SinkOptions() =>
        (new Option<string?>("--destination") { Description = "Only this HTTP destination (its name)." },
         new Option<string?>("--sink") { Description = "Only this sink, by its full name (destination:NAME, handler:OnMessage, …); also one no longer configured." });

    private static string? SinkName(ParseResult parse, Option<string?> destination, Option<string?> sink, IConfiguration configuration, ICollection<string> errors)
    {
        var name = parse.GetValue(destination);
        var full = parse.GetValue(sink);
        if (name is not null && full is not null)
        {
            errors.Add("--destination and --sink both name a sink: give one.");
        }
        else if (name is not null)
        {
            // A mistyped name would list nothing, or retry nothing, and look like success. (--sink takes any sink,
            // for one no longer configured.)
            _ = ConfiguredDestinations.Find(configuration, name, errors, "--destination");
        }

        return name is not null ? DestinationOptions.SinkPrefix + name : full;
    }
}
