using Microsoft.Extensions.Options;
using WabaHooks.Hosting.Configuration;
using WabaHooks.Processing;
using WabaHooks.Signatures;

namespace WabaHooks.Hosting;

/// <summary>Checks <see cref="WabaHooksOptions"/> at start-up and reports every problem at once, each with its fix.</summary>
internal sealed class WabaHooksOptionsValidator(ConfigurationProblems? binding = null) : IValidateOptions<WabaHooksOptions>
{
    public ValidateOptionsResult Validate(string? name, WabaHooksOptions options)
    {
        // A setting that was given but could not be read is already reported; "is empty" would only mislead.
        bool Refused(string key) => binding?.WasRefused(typeof(WabaHooksOptions), name, key) == true;

        var errors = new List<string>();
        if (string.IsNullOrEmpty(options.VerifyToken) && !Refused("VerifyToken"))
        {
            errors.Add("VerifyToken is empty: set the same verify token here and in Meta's App Dashboard.");
        }

        if (options.AppSecrets.Count == 0 && !Refused("AppSecrets"))
        {
            errors.Add("No app secret: add your Meta app's secret (App settings > Basic) so signatures can be verified.");
        }

        foreach (var appId in AppSecret.NameByPosition(options.AppSecrets).GroupBy(s => s.AppId).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            errors.Add($"AppSecrets: the app id '{appId}' is given twice. Give each secret once; during a rotation name them differently, e.g. APP_ID-old:SECRET.");
        }

        if (options.MaxBodyBytes < 1024)
        {
            errors.Add($"MaxBodyBytes is {options.MaxBodyBytes}: it must be at least 1024 (Meta sends up to 3 MB; the default is 4 MiB).");
        }

        if (options.MaxBodyBytes > int.MaxValue)
        {
            // A body is read into one buffer, whose length is an int; Meta's bodies are far smaller anyway.
            errors.Add($"MaxBodyBytes is {options.MaxBodyBytes}: it must be at most {int.MaxValue} (Meta sends up to 3 MB; the default is 4 MiB).");
        }

        if (options.AppendTimeout <= TimeSpan.Zero || options.AppendTimeout > TimeSpan.FromDays(1))
        {
            // The upper bound keeps CancelAfter on the receive path from throwing (it takes at most about 49 days).
            errors.Add($"AppendTimeout is {options.AppendTimeout}: it must be positive and at most a day (the default is 5 seconds).");
        }

        if (options.RetryAfterSeconds < 0)
        {
            errors.Add("RetryAfterSeconds must not be negative.");
        }

        if (options.GroupCommit.MaxBatchSize < 1 || options.GroupCommit.QueueCapacity < 1 || options.GroupCommit.MaxBatchBytes < 1)
        {
            errors.Add("GroupCommit.MaxBatchSize, MaxBatchBytes and QueueCapacity must be positive.");
        }

        if (options.RefusedRequests.Burst < 0 || options.RefusedRequests.PerSecond <= 0 || double.IsNaN(options.RefusedRequests.PerSecond))
        {
            errors.Add("RefusedRequests.Burst must not be negative (0 turns the limit off) and RefusedRequests.PerSecond must be positive (the defaults are 20 and 1).");
        }

        ValidateProcessor(options.Processor, errors);
        ValidateHandlers(options.Handlers, errors);
        Retention.RetentionOptionsValidator.Validate(options.Retention, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateProcessor(ProcessorOptions processor, List<string> errors)
    {
        if (processor.BatchSize is < 1 or > 100_000)
        {
            errors.Add($"Processor.BatchSize is {processor.BatchSize}: it must be from 1 to 100000 (the default is 256).");
        }

        foreach (var (name, value, fallback) in new[]
        {
            ("BatchWindow", processor.BatchWindow, "25 milliseconds"),
            ("IdlePollInterval", processor.IdlePollInterval, "1 second"),
            ("ErrorBackoff", processor.ErrorBackoff, "2 seconds"),
            ("StalledAfter", processor.StalledAfter, "1 minute"),
        })
        {
            // Zero means "at once" for the batch window and for reporting a stall; the poll and the backoff would spin.
            var zeroAllowed = name is "BatchWindow" or "StalledAfter";
            if (value < TimeSpan.Zero || (value == TimeSpan.Zero && !zeroAllowed) || value > TimeSpan.FromDays(1))
            {
                errors.Add($"Processor.{name} is {value}: it must be {(zeroAllowed ? "zero or more" : "positive")} and at most a day (the default is {fallback}).");
            }
        }
    }

    private static void ValidateHandlers(Handlers.HandlerOptions handlers, List<string> errors)
    {
        if (handlers.MaxAttempts < 1)
        {
            errors.Add($"Handlers.MaxAttempts is {handlers.MaxAttempts}: it must be at least 1 (the default is 8).");
        }

        if (handlers.BaseDelay <= TimeSpan.Zero || handlers.MaxDelay < handlers.BaseDelay)
        {
            errors.Add($"Handlers.BaseDelay ({handlers.BaseDelay}) must be positive and at most Handlers.MaxDelay ({handlers.MaxDelay}); the defaults are 1 second and 5 minutes.");
        }

        if (handlers.Timeout <= TimeSpan.Zero || handlers.Timeout > TimeSpan.FromDays(1))
        {
            errors.Add($"Handlers.Timeout is {handlers.Timeout}: it must be positive and at most a day (the default is 30 seconds).");
        }

        if (handlers.MaxConcurrency < 1)
        {
            errors.Add($"Handlers.MaxConcurrency is {handlers.MaxConcurrency}: it must be at least 1 (the default is 4).");
        }

        if (handlers.PollInterval <= TimeSpan.Zero)
        {
            errors.Add($"Handlers.PollInterval is {handlers.PollInterval}: it must be positive (the default is 250 milliseconds).");
        }

        if (handlers.ReorderWindow < TimeSpan.Zero || handlers.ReorderWindow > TimeSpan.FromMinutes(10))
        {
            errors.Add($"Handlers.ReorderWindow is {handlers.ReorderWindow}: it must be between 0 and 10 minutes (the default is 1 second).");
        }
    }
}
