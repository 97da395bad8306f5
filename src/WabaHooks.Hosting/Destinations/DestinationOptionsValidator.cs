using Microsoft.Extensions.Options;
using WabaHooks.Hosting.Configuration;

namespace WabaHooks.Hosting.Destinations;

/// <summary>Checks each configured destination at start-up with <see cref="DestinationOptions.Validate"/>.</summary>
internal sealed class DestinationOptionsValidator(ConfigurationProblems binding) : IValidateOptions<DestinationOptions>
{
    public ValidateOptionsResult Validate(string? name, DestinationOptions options)
    {
        // A Url that was given but could not be read is already reported; "has no Url" would only mislead.
        var urlRefused = binding.WasRefused(typeof(DestinationOptions), name, nameof(DestinationOptions.Url));
        var problems = options.Validate().Where(p => !(urlRefused && p.Contains(" has no Url", StringComparison.Ordinal))).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
