using Microsoft.Extensions.Options;

namespace WabaHooks.AspNetCore;

/// <summary>Checks <see cref="WabaHooksOptions"/> at start-up and reports every problem at once, each with its fix.</summary>
internal sealed class WabaHooksOptionsValidator : IValidateOptions<WabaHooksOptions>
{
    public ValidateOptionsResult Validate(string? name, WabaHooksOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(options.VerifyToken))
        {
            errors.Add("VerifyToken is empty: set the same verify token here and in Meta's App Dashboard.");
        }

        if (options.AppSecrets.Count == 0)
        {
            errors.Add("No app secret: add your Meta app's secret (App settings > Basic) so signatures can be verified.");
        }

        if (options.MaxBodyBytes < 1024)
        {
            errors.Add($"MaxBodyBytes is {options.MaxBodyBytes}: it must be at least 1024 (Meta sends up to 3 MB; the default is 4 MiB).");
        }

        if (options.AppendTimeout <= TimeSpan.Zero)
        {
            errors.Add("AppendTimeout must be positive.");
        }

        if (options.RetryAfterSeconds < 0)
        {
            errors.Add("RetryAfterSeconds must not be negative.");
        }

        if (options.GroupCommit.MaxBatchSize < 1 || options.GroupCommit.QueueCapacity < 1 || options.GroupCommit.MaxBatchBytes < 1)
        {
            errors.Add("GroupCommit.MaxBatchSize, MaxBatchBytes and QueueCapacity must be positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
