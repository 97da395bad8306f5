using Microsoft.Extensions.Options;

namespace WabaHooks.Graph.Watchdog;

/// <summary>Reports every problem with <see cref="WatchdogOptions"/> at start-up.</summary>
internal sealed class WatchdogOptionsValidator : IValidateOptions<WatchdogOptions>
{
    public ValidateOptionsResult Validate(string? name, WatchdogOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
