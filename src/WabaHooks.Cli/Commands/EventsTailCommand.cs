using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using WabaHooks.Cli.Output;
using WabaHooks.Hosting.Admin;
using WabaHooks.Storage;

namespace WabaHooks.Cli.Commands;

/// <summary>
/// <c>wabahooks events tail</c>: new events as they are stored, and each sink's attempts as they happen, read from the
/// store (SQLite or PostgreSQL) beside a running gateway; no admin listener is needed.
/// </summary>
internal static class EventsTailCommand
{
    /// <summary>Events whose attempts are still followed: the most recent ones, as a developer watches what just came.</summary>
    private const int FollowedEvents = 50;

    /// <summary>How long an event's attempts are followed after it was stored (retries beyond are seen with events show).</summary>
    private static readonly TimeSpan FollowFor = TimeSpan.FromMinutes(10);

    public static Command Create()
    {
        var common = new CommonOptions();
        var filters = new EventFilterOptions();
        var json = new Option<bool>("--json") { Description = "Print one JSON object a line: {\"kind\":\"event\",…} and {\"kind\":\"attempt\",…}." };
        var interval = new Option<double>("--interval") { Description = "Seconds between reads of the store.", DefaultValueFactory = _ => 0.5 };
        var command = new Command("tail", "Stream new events as they are stored (type, ids, WABA, phone number, test mark), then each sink's attempts as they happen. Ctrl+C stops.");
        common.AddTo(command);
        filters.AddTo(command);
        command.Options.Add(json);
        command.Options.Add(interval);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var configuration = common.Load(parse, errors);
            var query = filters.ToQuery(parse, errors);
            if (parse.GetValue(interval) is not (>= 0.05 and <= 60))
            {
                errors.Add("--interval must be between 0.05 and 60 seconds.");
            }

            if (errors.Count > 0)
            {
                return CommonOptions.Fail("events tail", errors);
            }

            await using var store = await StoreAccess.OpenExistingAsync(configuration, cancellationToken).ConfigureAwait(false);
            if (store is null)
            {
                return ExitCodes.NotFound;
            }

            var output = Console.Out;
            var asJson = parse.GetValue(json);
            try
            {
                await TailAsync(store, query, TimeSpan.FromSeconds(parse.GetValue(interval)), output, asJson, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C: the normal end of a tail.
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task TailAsync(IWabaHooksStore store, EventQuery filter, TimeSpan interval, TextWriter output, bool asJson, CancellationToken cancellationToken)
    {
        // Only what is stored from now on: the newest sequences now are where the tail starts. The query layer follows
        // by sequence, oldest first, so nothing stored between two reads is missed, however much arrives.
        var queries = StoreAccess.Queries(store);
        var lastEvent = await queries.NewestEventSequenceAsync(cancellationToken).ConfigureAwait(false);
        var lastAttempt = await queries.NewestAttemptSequenceAsync(cancellationToken).ConfigureAwait(false);

        // On standard error, so --json output stays one object a line; said once the starting point is known.
        await Console.Error.WriteLineAsync("Waiting for new events (Ctrl+C to stop)…").ConfigureAwait(false);
        var followed = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        while (true)
        {
            var events = await queries.FollowEventsAsync(filter, lastEvent, 500, cancellationToken).ConfigureAwait(false);
            foreach (var row in events)
            {
                WriteEvent(output, row.Event, asJson);
                followed[row.Event.Id] = row.Event.StoredAt;
                lastEvent = row.Event.Sequence;
            }

            var now = TimeProvider.System.GetUtcNow();
            foreach (var stale in followed.Where(f => now - f.Value > FollowFor).Select(f => f.Key).ToList())
            {
                followed.Remove(stale);
            }

            if (followed.Count > FollowedEvents)
            {
                foreach (var oldest in followed.OrderBy(f => f.Value).Take(followed.Count - FollowedEvents).Select(f => f.Key).ToList())
                {
                    followed.Remove(oldest);
                }
            }

            var attempts = await queries.ListAttemptsAsync(new AttemptQuery { AfterSequence = lastAttempt, Limit = WabaHooksQueries.MaxPageSize }, cancellationToken).ConfigureAwait(false);
            foreach (var attempt in attempts.Items)
            {
                lastAttempt = attempt.Sequence;
                if (followed.ContainsKey(attempt.Attempt.EventId))
                {
                    WriteAttempt(output, attempt.Attempt, asJson);
                }
            }

            output.Flush();
            if (events.Count < 500 && attempts.Items.Count < WabaHooksQueries.MaxPageSize)
            {
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static void WriteEvent(TextWriter output, StoredEvent e, bool asJson)
    {
        if (asJson)
        {
            output.WriteLine(JsonSerializer.Serialize(TailEventJson.From(e), TailJsonContext.Default.TailEventJson));
            return;
        }

        var phone = e.PhoneNumberId is null ? "" : $"  phone {e.PhoneNumberId}";
        var test = e.IsTest ? "  [test]" : "";
        output.WriteLine($"{Timestamps.Utc(e.StoredAt)}  {e.Type}  {e.Id}  WABA {e.WabaId}{phone}  delivery {e.DeliveryId.ToString(CultureInfo.InvariantCulture)}{test}");
    }

    private static void WriteAttempt(TextWriter output, SinkAttempt a, bool asJson)
    {
        if (asJson)
        {
            output.WriteLine(JsonSerializer.Serialize(TailAttemptJson.From(a), TailJsonContext.Default.TailAttemptJson));
            return;
        }

        var status = a.StatusCode is { } code ? $"HTTP {code.ToString(CultureInfo.InvariantCulture)}, " : "";
        var result = a.Succeeded ? "ok" : "failed";
        var error = a.Succeeded || a.Error is null ? "" : $": {a.Error}";
        output.WriteLine(
            $"{Timestamps.Utc(a.StartedAt)}    -> {a.Sink}  {a.EventId}  attempt {a.Number.ToString(CultureInfo.InvariantCulture)} {result} " +
            $"({status}{a.Duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms){error}");
    }
}
