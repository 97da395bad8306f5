using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WabaHooks.Cli.Configuration;
using WabaHooks.Hosting.Configuration;
using WabaHooks.Hosting.Destinations;

namespace WabaHooks.Cli.Commands;

/// <summary>The destinations in the configuration, read by the same binding <c>serve</c> and a library user's host use.</summary>
internal static class ConfiguredDestinations
{
    /// <summary>Every configured destination, with every problem in their settings added to <paramref name="errors"/>.</summary>
    public static IReadOnlyList<DestinationOptions> Read(IConfiguration configuration, ICollection<string> errors)
    {
        var services = new ServiceCollection();
        services.AddWabaHooks(configuration.GetSection(CliConfiguration.Section)).AddBrokerDestinations();
        using var provider = services.BuildServiceProvider();
        var problems = provider.GetRequiredService<ConfigurationProblems>();
        foreach (var problem in problems.Of(typeof(Hosting.WabaHooksOptions), null))
        {
            errors.Add(problem);
        }

        var destinations = new List<DestinationOptions>();
        var monitor = provider.GetRequiredService<IOptionsMonitor<DestinationOptions>>();
        foreach (var name in provider.GetServices<DestinationName>().Select(d => d.Name))
        {
            try
            {
                destinations.Add(monitor.Get(name));
            }
            catch (OptionsValidationException ex)
            {
                foreach (var failure in ex.Failures)
                {
                    errors.Add(failure);
                }
            }
        }

        return destinations;
    }

    /// <summary>The destination called <paramref name="name"/>, or null with the problem added (naming the ones there are).</summary>
    /// <param name="configuration">The configuration the command runs with.</param>
    /// <param name="name">The name given.</param>
    /// <param name="errors">Where problems go.</param>
    /// <param name="option">The option that gave the name (<c>--destination</c>), or null for an argument.</param>
    public static DestinationOptions? Find(IConfiguration configuration, string name, ICollection<string> errors, string? option = null)
    {
        var destinations = Read(configuration, errors);
        var found = destinations.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.Ordinal));
        if (found is null)
        {
            var given = option is null ? "" : $"{option} {name}: ";
            errors.Add(destinations.Count == 0
                ? $"{given}no destinations are configured in {CliConfiguration.Source(configuration)}. Add them under \"WabaHooks\": {{ \"Destinations\": [ … ] }} (or WabaHooks__Destinations__0__Name, …), the same configuration serve runs with."
                : $"{given}no destination named '{name}'; the configured ones are {string.Join(", ", destinations.Select(d => d.Name))}.");
        }

        return found;
    }
}
