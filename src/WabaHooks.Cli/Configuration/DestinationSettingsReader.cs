using System.Globalization;
using Microsoft.Extensions.Configuration;
using WabaHooks.Hosting.Destinations;

namespace WabaHooks.Cli.Configuration;

/// <summary>
/// Reads the <c>Destinations</c> list (a JSON array in <c>--config</c>, or <c>WABAHOOKS__DESTINATIONS__0__NAME</c>, …),
/// adding every problem to the list. Unknown keys are errors, so a typo never silently widens a filter.
/// </summary>
internal static class DestinationSettingsReader
{
    private static readonly string[] Keys =
        ["Name", "Url", "Format", "Secret", "Fields", "Types", "WabaIds", "PhoneNumberIds", "TimeoutSeconds", "MaxConcurrency", "Retry", "CircuitBreaker"];

    private static readonly string[] RetryKeys = ["BaseDelay", "MaxDelay", "Window"];
    private static readonly string[] CircuitKeys = ["FailureThreshold", "BreakDuration", "MaxBreakDuration"];

    public static IReadOnlyList<DestinationOptions> Read(IConfiguration configuration, ICollection<string> errors)
    {
        var destinations = new List<DestinationOptions>();
        foreach (var section in configuration.GetSection(ConfigurationKeys.Destinations).GetChildren())
        {
            destinations.Add(ReadOne(section, errors));
        }

        foreach (var name in destinations.GroupBy(d => d.Name, StringComparer.Ordinal).Where(g => g.Key.Length > 0 && g.Count() > 1).Select(g => g.Key))
        {
            errors.Add($"Destinations: the name '{name}' is used twice. Each destination needs its own name: its pending work is kept under it.");
        }

        return destinations;
    }

    private static DestinationOptions ReadOne(IConfigurationSection section, ICollection<string> errors)
    {
        var destination = new DestinationOptions { Name = section["Name"]?.Trim() ?? "", Secret = section["Secret"] ?? "" };
        var where = destination.Name.Length > 0 ? $"Destinations '{destination.Name}'" : $"Destinations[{section.Key}]";
        CheckKeys(section, Keys, where, errors);

        // Checked here, with the text as written: Uri would read "/whatsapp" as file:///whatsapp, and the settings'
        // own check would then also say the Url is missing.
        var badUrl = false;
        if (section["Url"] is { Length: > 0 } url)
        {
            if (Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                destination.Url = uri;
            }
            else
            {
                badUrl = true;
                errors.Add($"{where}: Url '{url}' is not an absolute http or https URL, e.g. https://crm.example.com/whatsapp.");
            }
        }

        switch (section["Format"]?.Trim().ToLowerInvariant())
        {
            case null or "" or "meta":
                destination.Format = DestinationFormat.Meta;
                break;
            case "event":
                destination.Format = DestinationFormat.Event;
                break;
            case var other:
                errors.Add($"{where}: Format '{other}' is unknown; use 'meta' (Meta's envelope, X-Hub-Signature-256) or 'event' (one event per request, Standard Webhooks headers).");
                break;
        }

        AddAll(destination.Fields, section.GetSection("Fields"));
        AddAll(destination.Types, section.GetSection("Types"));
        AddAll(destination.WabaIds, section.GetSection("WabaIds"));
        AddAll(destination.PhoneNumberIds, section.GetSection("PhoneNumberIds"));

        if (section["TimeoutSeconds"] is { } timeout)
        {
            destination.Timeout = double.TryParse(timeout, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= 300
                ? TimeSpan.FromSeconds(seconds)
                : Problem(errors, $"{where}: TimeoutSeconds '{timeout}' must be a number of seconds above 0 and at most 300 (default 10).", destination.Timeout);
        }

        if (section["MaxConcurrency"] is { } concurrency)
        {
            destination.MaxConcurrency = int.TryParse(concurrency, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 1024
                ? n
                : Problem(errors, $"{where}: MaxConcurrency '{concurrency}' must be a whole number from 1 to 1024 (default 8).", destination.MaxConcurrency);
        }

        var retry = section.GetSection("Retry");
        CheckObject(retry, $"{where}: Retry must be an object, e.g. \"Retry\": {{ \"BaseDelay\": 5, \"MaxDelay\": 3600, \"Window\": \"3.00:00:00\" }}.", errors);
        CheckKeys(retry, RetryKeys, $"{where} Retry", errors);
        destination.Retry.BaseDelay = WatchSettingsReader.ReadDuration(retry["BaseDelay"], $"{where} Retry.BaseDelay", destination.Retry.BaseDelay, errors);
        destination.Retry.MaxDelay = WatchSettingsReader.ReadDuration(retry["MaxDelay"], $"{where} Retry.MaxDelay", destination.Retry.MaxDelay, errors);
        destination.Retry.Window = WatchSettingsReader.ReadDuration(retry["Window"], $"{where} Retry.Window", destination.Retry.Window, errors);

        var circuit = section.GetSection("CircuitBreaker");
        CheckObject(circuit, $"{where}: CircuitBreaker must be an object, e.g. \"CircuitBreaker\": {{ \"FailureThreshold\": 5, \"BreakDuration\": 30, \"MaxBreakDuration\": 600 }}.", errors);
        CheckKeys(circuit, CircuitKeys, $"{where} CircuitBreaker", errors);
        if (circuit["FailureThreshold"] is { } threshold)
        {
            destination.CircuitBreaker.FailureThreshold = int.TryParse(threshold, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
                ? n
                : Problem(errors, $"{where}: CircuitBreaker.FailureThreshold '{threshold}' must be a whole number of at least 1 (default 5).", destination.CircuitBreaker.FailureThreshold);
        }

        destination.CircuitBreaker.BreakDuration = WatchSettingsReader.ReadDuration(circuit["BreakDuration"], $"{where} CircuitBreaker.BreakDuration", destination.CircuitBreaker.BreakDuration, errors);
        destination.CircuitBreaker.MaxBreakDuration = WatchSettingsReader.ReadDuration(circuit["MaxBreakDuration"], $"{where} CircuitBreaker.MaxBreakDuration", destination.CircuitBreaker.MaxBreakDuration, errors);

        foreach (var problem in destination.Validate())
        {
            // A Url that was given but refused above is already reported; "has no Url" would only mislead.
            if (!(badUrl && destination.Url is null && problem.Contains(" has no Url", StringComparison.Ordinal)))
            {
                errors.Add($"Destinations: {problem}");
            }
        }

        return destination;
    }

    private static void AddAll(ICollection<string> target, IConfigurationSection section)
    {
        // A JSON array, or one comma-separated string (handy in environment variables).
        var values = section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value ?? "");
        foreach (var value in values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            target.Add(value);
        }
    }

    /// <summary>A section that should hold keys but holds a single value (<c>"Retry": 5</c>) would otherwise be ignored.</summary>
    private static void CheckObject(IConfigurationSection section, string problem, ICollection<string> errors)
    {
        if (section.Value is not null)
        {
            errors.Add(problem);
        }
    }

    private static void CheckKeys(IConfigurationSection section, string[] known, string where, ICollection<string> errors)
    {
        foreach (var child in section.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{where}: unknown key '{child.Key}'. Known keys: {string.Join(", ", known)}.");
            }
        }
    }

    private static T Problem<T>(ICollection<string> errors, string message, T fallback)
    {
        errors.Add(message);
        return fallback;
    }
}
