using System.CommandLine;
using System.Globalization;
using WabaHooks.Hosting.Retention;
using WabaHooks.Storage;

namespace WabaHooks.Cli.Commands;

/// <summary>
/// <c>wabahooks prune --older-than 7d [--dry-run]</c>: a one-off prune, beside or instead of the one <c>serve</c> runs
/// in the background, with the same rules: nothing unprocessed, nothing with pending work, no key inside Meta's
/// redelivery horizon. Dead letters keep their own retention.
/// </summary>
internal static class PruneCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var olderThan = new Option<string>("--older-than") { Description = "Remove processed deliveries, delivered events and attempts older than this: 90m, 12h, 7d, 2w.", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Count what would be removed; remove nothing." };
        var command = new Command("prune", "Remove old deliveries, events and attempts now, and give the space back (SQLite). Unprocessed deliveries, events with pending or dead-lettered work, and dedupe keys inside Meta's 7-day redelivery horizon are kept.");
        common.AddTo(command);
        command.Options.Add(olderThan);
        command.Options.Add(dryRun);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var configuration = common.Load(parse, errors);
            var retention = RetentionSettings.Read(configuration, errors);
            var now = TimeProvider.System.GetUtcNow();
            var text = parse.GetValue(olderThan) ?? "";
            if (!SinceValue.TryParse(text, now, out var cut, out _) || cut >= now || !char.IsAsciiLetter(text.Trim()[^1]))
            {
                errors.Add($"--older-than: '{text}' is not a duration such as 90m, 12h, 7d or 2w.");
            }

            if (errors.Count > 0)
            {
                return CommonOptions.Fail("prune", errors);
            }

            await using var store = await StoreAccess.OpenExistingAsync(configuration, cancellationToken).ConfigureAwait(false);
            if (store is not IRetentionStore prunable)
            {
                return ExitCodes.Failure;
            }

            // Dead letters, kept keys and the audit log follow the configuration: a one-off prune of history must not
            // throw away work someone still has to look at, let a redelivery through, or erase who did what.
            var configured = retention.CutoffsAt(now);
            var cutoffs = new RetentionCutoffs(cut, cut, cut, Earlier(configured.DeadLetters, cut), configured.DedupeHorizon, configured.AuditLog);
            var output = Console.Out;
            try
            {
                if (parse.GetValue(dryRun))
                {
                    var counted = await prunable.CountPrunableAsync(cutoffs, cancellationToken).ConfigureAwait(false);
                    await output.WriteLineAsync($"Would remove (older than {Format(cut)}; dead letters older than {Format(cutoffs.DeadLetters)}):").ConfigureAwait(false);
                    await PrintAsync(output, counted).ConfigureAwait(false);
                    return ExitCodes.Success;
                }

                var pruner = new RetentionPruner(prunable, retention.BatchSize);
                var removed = await pruner.PruneAsync(cutoffs, cancellationToken).ConfigureAwait(false);
                var released = await pruner.ReleaseFreeSpaceAsync(cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"Removed (older than {Format(cut)}; dead letters older than {Format(cutoffs.DeadLetters)}):").ConfigureAwait(false);
                await PrintAsync(output, removed).ConfigureAwait(false);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {released / (1024.0 * 1024):0.0} MiB given back to the filesystem")).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            catch (StoreUnavailableException ex)
            {
                await Console.Error.WriteLineAsync($"wabahooks prune: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private static async Task PrintAsync(TextWriter output, PruneCounts counts)
    {
        await output.WriteLineAsync($"  {counts.Deliveries,10} deliveries").ConfigureAwait(false);
        await output.WriteLineAsync($"  {counts.Events,10} events").ConfigureAwait(false);
        await output.WriteLineAsync($"  {counts.Attempts,10} attempts").ConfigureAwait(false);
        await output.WriteLineAsync($"  {counts.DeadLetters,10} dead letters").ConfigureAwait(false);
        await output.WriteLineAsync($"  {counts.DedupeKeys,10} dedupe keys past the redelivery horizon").ConfigureAwait(false);
        await output.WriteLineAsync($"  {counts.AuditLog,10} audit log entries").ConfigureAwait(false);
    }

    private static DateTimeOffset Earlier(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
