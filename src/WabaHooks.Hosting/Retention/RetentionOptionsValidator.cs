namespace WabaHooks.Hosting.Retention;

/// <summary>Checks <see cref="RetentionOptions"/>, each problem with its fix; part of WabaHooks' start-up validation.</summary>
internal static class RetentionOptionsValidator
{
    public static void Validate(RetentionOptions retention, List<string> errors)
    {
        foreach (var (name, value, fallback) in new[]
        {
            (nameof(RetentionOptions.Deliveries), retention.Deliveries, "30 days"),
            (nameof(RetentionOptions.Events), retention.Events, "30 days"),
            (nameof(RetentionOptions.Attempts), retention.Attempts, "30 days"),
            (nameof(RetentionOptions.DeadLetters), retention.DeadLetters, "90 days"),
            (nameof(RetentionOptions.AuditLog), retention.AuditLog, "90 days"),
            (nameof(RetentionOptions.DedupeHorizon), retention.DedupeHorizon, "7 days, Meta's retry window"),
        })
        {
            // A minute at least: less would remove events before the processor and sinks are done looking at them.
            if (value < TimeSpan.FromMinutes(1) || value > TimeSpan.FromDays(36_500))
            {
                errors.Add($"Retention.{name} is {value}: give a duration from 00:01:00 (a minute) to 36500.00:00:00 (the default is {fallback}); to keep everything, set Retention.Enabled to false.");
            }
        }

        if (retention.MaxStoreBytes is < 0 or (> 0 and < 16 * 1024 * 1024))
        {
            errors.Add($"Retention.MaxStoreBytes is {retention.MaxStoreBytes}: give at least 16777216 (16 MiB), or 0 for no cap (the default).");
        }

        if (retention.Interval < TimeSpan.FromSeconds(1) || retention.Interval > TimeSpan.FromDays(1))
        {
            errors.Add($"Retention.Interval is {retention.Interval}: it must be from 1 second to a day (the default is 5 minutes).");
        }

        if (retention.BatchSize is < 1 or > 100_000)
        {
            errors.Add($"Retention.BatchSize is {retention.BatchSize}: it must be from 1 to 100000 (the default is 500; small batches keep the write lock short).");
        }
    }
}
