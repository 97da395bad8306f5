using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using WabaHooks.Cli.Configuration;
using WabaHooks.Cli.Output;
using WabaHooks.Hosting.Admin;
using WabaHooks.Storage;

namespace WabaHooks.Cli.Commands;

/// <summary><c>wabahooks events list|show</c>: the events the processor split from deliveries, one per idempotency key.</summary>
internal static class EventsCommand
{
    public static Command Create()
    {
        var command = new Command("events", "Inspect the events split from deliveries (one per idempotency key).");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateShow());
        command.Subcommands.Add(EventsTailCommand.Create());
        command.Subcommands.Add(EventsReplayCommand.Create());
        return command;
    }

    private static Command CreateList()
    {
        var common = new CommonOptions();
        var filters = new EventFilterOptions();
        var since = new Option<string?>("--since") { Description = SinceValue.Help };
        var limit = new Option<int>("--limit") { Description = "Show at most this many, newest first.", DefaultValueFactory = _ => 50 };
        var json = new Option<bool>("--json") { Description = "Print one JSON array." };
        var command = new Command("list", "List events, newest first: idempotency key, type, field, WABA, phone number, time, delivery, and the test mark.");
        common.AddTo(command);
        filters.AddTo(command);
        command.Options.Add(since);
        command.Options.Add(limit);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var configuration = common.Load(parse, errors);
            if (parse.GetValue(limit) is < 1 or > MaxListed)
            {
                errors.Add($"--limit must be between 1 and {MaxListed}.");
            }

            var filter = filters.ToQuery(parse, errors);

            DateTimeOffset? sinceTime = null;
            if (parse.GetValue(since) is { } sinceText)
            {
                if (SinceValue.TryParse(sinceText, TimeProvider.System.GetUtcNow(), out var parsed, out var error))
                {
                    sinceTime = parsed;
                }
                else
                {
                    errors.Add(error);
                }
            }

            if (errors.Count > 0)
            {
                return CommonOptions.Fail("events list", errors);
            }

            await using var store = await StoreAccess.OpenExistingAsync(configuration, cancellationToken).ConfigureAwait(false);
            if (store is null)
            {
                return ExitCodes.NotFound;
            }

            // The query layer pages at most MaxPageSize at a time; a longer list is read page by page down the cursor.
            var queries = StoreAccess.Queries(store);
            var wanted = parse.GetValue(limit);
            var events = new List<StoredEvent>();
            var query = filter with { Since = sinceTime };
            while (events.Count < wanted)
            {
                var page = await queries.ListEventsAsync(query with { Limit = Math.Min(wanted - events.Count, WabaHooksQueries.MaxPageSize) }, cancellationToken).ConfigureAwait(false);
                events.AddRange(page.Items.Select(r => r.Event));
                if (page.Next is null || page.Items.Count == 0)
                {
                    break;
                }

                query = query with { BeforeSequence = page.Items[^1].Event.Sequence };
            }
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize([.. events.Select(EventJson.From)], OutputJsonContext.Default.ListEventJson));
                return ExitCodes.Success;
            }

            if (events.Count == 0)
            {
                Console.Out.WriteLine("No events match.");
                return ExitCodes.Success;
            }

            var table = new TextTable("ID", "TYPE", "FIELD", "WABA", "PHONE NUMBER", "OCCURRED (UTC)", "DELIVERY", "MARK");
            foreach (var e in events)
            {
                table.Add(e.Id, e.Type, e.Field, e.WabaId, e.PhoneNumberId ?? "-", Timestamps.Utc(e.OccurredAt), e.DeliveryId.ToString(CultureInfo.InvariantCulture), e.IsTest ? "test" : "-");
            }

            table.Write(Console.Out);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The most events one <c>events list</c> prints.</summary>
    private const int MaxListed = 100_000;

    private static Command CreateShow()
    {
        var common = new CommonOptions();
        var id = new Argument<string>("ID") { Description = "The event's idempotency key, from events list." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object, with the item's JSON exactly as received under \"raw\"." };
        var command = new Command("show", "Show one event: metadata, its JSON, and the attempts to hand it to sinks.");
        common.AddTo(command);
        command.Arguments.Add(id);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var configuration = common.Load(parse, errors);
            if (errors.Count > 0)
            {
                return CommonOptions.Fail("events show", errors);
            }

            await using var store = await StoreAccess.OpenExistingAsync(configuration, cancellationToken).ConfigureAwait(false);
            if (store is null)
            {
                return ExitCodes.NotFound;
            }

            var key = parse.GetValue(id)!;
            var detail = await StoreAccess.Queries(store).GetEventAsync(key, cancellationToken).ConfigureAwait(false);
            if (detail is null)
            {
                await Console.Error.WriteLineAsync($"wabahooks: no event with id {key}. Events appear once the processor has split their delivery; see events list.").ConfigureAwait(false);
                return ExitCodes.NotFound;
            }

            var (stored, attempts) = (detail.Event, detail.Attempts);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(EventDetailJson.From(stored, attempts), OutputJsonContext.Default.EventDetailJson));
                return ExitCodes.Success;
            }

            EventView.Write(Console.Out, stored, attempts);
            return ExitCodes.Success;
        });
        return command;
    }
}
