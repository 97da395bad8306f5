using Microsoft.Extensions.Configuration;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Cli.Configuration;

namespace WabaHooks.Cli.Commands;

/// <summary>The destinations in the configuration, for commands that name one.</summary>
internal static class ConfiguredDestinations
{
    /// <summary>The destination called <paramref name="name"/>, or null with the problem added (naming the ones there are).</summary>
    /// <param name="configuration">The configuration the command runs with.</param>
    /// <param name="name">The name given.</param>
    /// <param name="errors">Where problems go.</param>
    /// <param name="option">The option that gave the name (<c>--destination</c>), or null for an argument.</param>
    public static DestinationOptions? Find(IConfiguration configuration, string name, ICollection<string> errors, string? option = null)
    {
        var destinations = DestinationSettingsReader.Read(configuration, errors);
        var found = destinations.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.Ordinal));
        if (found is null)
        {
            var given = option is null ? "" : $"{option} {name}: ";
            errors.Add(destinations.Count == 0
                ? $"{given}no destinations are configured. Add them under \"Destinations\" in the --config file (or WABAHOOKS__DESTINATIONS__0__NAME, …), the same configuration serve runs with."
                : $"{given}no destination named '{name}'; the configured ones are {string.Join(", ", destinations.Select(d => d.Name))}.");
        }

        return found;
    }
}
