using System.CommandLine;
using System.Globalization;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Hosting.Replay;
using WabaHooks.Sinks;
using WabaHooks.Cli.Output;
using WabaHooks.Storage;

namespace WabaHooks.Cli.Commands;

/// <summary>
/// <c>wabahooks events replay</c>: schedules stored events for a destination again, whatever became of them before.
/// The running gateway sends them, with the same idempotency key as the first time, so receivers that dedupe on it
/// are safe.
/// </summary>
internal static class EventsReplayCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var id = new Argument<string?>("ID") { Description = "One event's idempotency key. Or leave it out and give --since.", Arity = ArgumentArity.ZeroOrOne };
        var destination = new Option<string>("--destination") { Description = "The destination to send them to (its name).", Required = true };
        var since = new Option<string?>("--since") { Description = "Every event stored at or after this time: ISO 8601, or a duration back from now (15m, 2h, 3d)." };
        var until = new Option<string?>("--until") { Description = "…and stored before this time (same forms as --since) [default: now]." };
        var field = new Option<string?>("--field") { Description = "Only this field." };
        var type = new Option<string?>("--type") { Description = "Only this event type, or a prefix such as statuses.* — as in a destination's Types." };
        var follow = new Option<bool>("--follow") { Description = "Then show the destination's backlog draining until it is empty (Ctrl-C stops watching, not the replay)." };
        var command = new Command(
            "replay",
            "Send stored events to a destination again, with their original idempotency keys: one (ID) or a range (--since [--until] [--field] [--type]). Only events the destination's filter selects are replayed. A running serve does the sending.");
        common.AddTo(command);
        command.Arguments.Add(id);
        command.Options.Add(destination);
        command.Options.Add(since);
        command.Options.Add(until);
        command.Options.Add(field);
        command.Options.Add(type);
        command.Options.Add(follow);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var configuration = common.Load(parse, errors);
            var target = ConfiguredDestinations.Find(configuration, parse.GetValue(destination)!, errors, "--destination");
            var key = parse.GetValue(id);
            var now = TimeProvider.System.GetUtcNow();
            var from = Time(parse.GetValue(since), "--since", now, errors);
            var to = Time(parse.GetValue(until), "--until", now, errors);
            if ((key is null) == (from is null))
            {
                errors.Add("Give either one event ID or --since (with optional --until, --field, --type), not both and not neither.");
            }

            if (key is not null && (to is not null || parse.GetValue(field) is not null || parse.GetValue(type) is not null))
            {
                errors.Add("--until, --field and --type select a range: use them with --since, not with an event ID.");
            }

            if (errors.Count > 0 || target is null)
            {
                return CommonOptions.Fail("events replay", errors);
            }

            await using var store = await StoreAccess.OpenExistingAsync(configuration, cancellationToken).ConfigureAwait(false);
            if (store is null)
            {
                return ExitCodes.NotFound;
            }

            var replay = new SinkReplay(store, store, TimeProvider.System);
            var sink = new SinkRegistration(target.SinkName, target.Filter);
            int queued;
            if (key is not null)
            {
                var result = await replay.ReplayEventAsync(key, sink, cancellationToken).ConfigureAwait(false);
                switch (result.Status)
                {
                    case EventReplayStatus.NotFound:
                        await Console.Error.WriteLineAsync($"wabahooks: no event with id {key}; see events list.").ConfigureAwait(false);
                        return ExitCodes.NotFound;
                    case EventReplayStatus.NotSelected:
                        await Console.Error.WriteLineAsync(
                            $"wabahooks: event {key} ({result.Event!.Type}) is not one destination {target.Name} takes ({DestinationView.Filter(target)}); nothing replayed.").ConfigureAwait(false);
                        return ExitCodes.Failure;
                }

                queued = 1;
            }
            else
            {
                var range = new ReplayRange { Since = from, Until = to ?? now, Field = parse.GetValue(field), Type = parse.GetValue(type) };
                queued = await ReplayRangeAsync(replay, range, sink, target, cancellationToken).ConfigureAwait(false);
            }

            Console.Out.WriteLine($"{queued.ToString(CultureInfo.InvariantCulture)} event{(queued == 1 ? "" : "s")} queued for {target.Name}; a running wabahooks serve sends them.");
            if (parse.GetValue(follow) && queued > 0)
            {
                await FollowAsync(store, target, cancellationToken).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<int> ReplayRangeAsync(SinkReplay replay, ReplayRange range, SinkRegistration sink, DestinationOptions target, CancellationToken cancellationToken)
    {
        var selection = await replay.SelectAsync(range, sink, cancellationToken).ConfigureAwait(false);
        if (selection.Skipped > 0)
        {
            await Console.Error.WriteLineAsync($"{selection.Skipped.ToString(CultureInfo.InvariantCulture)} event(s) in the range are not ones {target.Name} takes ({DestinationView.Filter(target)}); skipped.").ConfigureAwait(false);
        }

        if (selection.EventIds.Count == 0)
        {
            return 0;
        }

        var progress = new ProgressLine($"Queueing for {target.Name}", selection.EventIds.Count);
        var queued = await replay.ScheduleAsync(selection, new Advance(progress), cancellationToken).ConfigureAwait(false);
        progress.Complete();
        return queued;
    }

    /// <summary>Moves the progress line on to the count reported; called synchronously by the replay.</summary>
    private sealed class Advance(ProgressLine line) : IProgress<int>
    {
        private int _shown;

        public void Report(int value)
        {
            for (; _shown < value; _shown++)
            {
                line.Advance();
            }
        }
    }

    private static async Task FollowAsync(IWabaHooksStore store, DestinationOptions target, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var backlog = (await store.GetBacklogAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(b => b.Sink == target.SinkName);
                var pending = backlog?.Pending ?? 0;
                await Console.Error.WriteLineAsync(
                    $"{target.Name}: {pending.ToString(CultureInfo.InvariantCulture)} pending, {(backlog?.Done ?? 0).ToString(CultureInfo.InvariantCulture)} delivered, {(backlog?.Dead ?? 0).ToString(CultureInfo.InvariantCulture)} dead").ConfigureAwait(false);
                if (pending == 0)
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C stops watching; the replay itself is already queued.
        }
    }

    private static DateTimeOffset? Time(string? text, string option, DateTimeOffset now, ICollection<string> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (SinceValue.TryParse(text, now, out var at, out var error))
        {
            return at;
        }

        errors.Add(error.Replace("--since", option, StringComparison.Ordinal));
        return null;
    }
}
