using Microsoft.Extensions.Options;
using WabaHooks.Hosting.Configuration;
using WabaHooks.Hosting.Media;

namespace WabaHooks.Hosting.Destinations;

/// <summary>
/// Checks each configured destination at start-up with <see cref="DestinationOptions.Validate"/>, and its kind: one a
/// registered transport handles, whose own settings are valid.
/// </summary>
internal sealed class DestinationOptionsValidator(ConfigurationProblems binding, IServiceProvider services, IEnumerable<DestinationKind> kinds) : IValidateOptions<DestinationOptions>
{
    public ValidateOptionsResult Validate(string? name, DestinationOptions options)
    {
        // A Url that was given but could not be read is already reported; "has no Url" would only mislead.
        var urlRefused = binding.WasRefused(typeof(DestinationOptions), name, nameof(DestinationOptions.Url));
        var problems = options.Validate().Where(p => !(urlRefused && p.Contains(" has no Url", StringComparison.Ordinal))).ToList();
        problems.AddRange(KindProblems(options));
        if (options.WaitForMedia && services.GetService(typeof(IKeptMediaPolicy)) is null)
        {
            var who = options.Name.Length == 0 ? "A destination" : $"Destination '{options.Name}'";
            problems.Add($"{who}: WaitForMedia waits for media kept on arrival, and none is kept: configure the Media section (AddMedia()), or remove WaitForMedia.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private IEnumerable<string> KindProblems(DestinationOptions options)
    {
        if (DestinationKinds.IsHttp(options.Kind))
        {
            return [];
        }

        var who = options.Name.Length == 0 ? "A destination" : $"Destination '{options.Name}'";
        var kind = kinds.LastOrDefault(k => string.Equals(k.Name, options.Kind, StringComparison.OrdinalIgnoreCase));
        if (kind is null)
        {
            return [DestinationKinds.Unknown(who, options.Kind, kinds.Select(k => k.Name))];
        }

        // Validating reads the kind's settings, which binds them: only then are their binding's problems known.
        var own = kind.Validate(services, options).ToList();
        return [.. binding.Of(kind.SettingsType, options.Name), .. own];
    }
}
