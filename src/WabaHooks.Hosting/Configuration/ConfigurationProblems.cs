using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace WabaHooks.Hosting.Configuration;

/// <summary>
/// The problems found while binding each options instance from configuration, kept until its validator reports them,
/// so that start-up lists binding and range problems of every options type in one message.
/// </summary>
internal sealed class ConfigurationProblems
{
    private readonly ConcurrentDictionary<(Type Type, string Name), List<string>> _found = new();
    private readonly ConcurrentDictionary<(Type Type, string Name), List<string>> _atRegistration = new();

    /// <summary>The one instance of a service collection, registered the first time it is asked for.</summary>
    public static ConfigurationProblems In(IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(ConfigurationProblems))?.ImplementationInstance is ConfigurationProblems existing)
        {
            return existing;
        }

        var created = new ConfigurationProblems();
        services.AddSingleton(created);
        return created;
    }

    /// <summary>A fresh list for binding one options instance; a second binding of the same instance replaces the first.</summary>
    public ICollection<string> Binding(Type type, string? name)
    {
        var list = new List<string>();
        _found[(type, name ?? Options.DefaultName)] = list;
        return list;
    }

    /// <summary>A problem seen while registering services, before any options exist (a destination without a name).</summary>
    public void AddAtRegistration(Type type, string? name, string problem) =>
        _atRegistration.GetOrAdd((type, name ?? Options.DefaultName), _ => []).Add(problem);

    /// <summary>
    /// Whether the setting <paramref name="key"/> was given but could not be read, so a validator need not also say it
    /// is missing. Every binding problem names its setting's path first (<c>WabaHooks:Destinations:0:Url is …</c>).
    /// </summary>
    public bool WasRefused(Type type, string? name, string key) =>
        Of(type, name).Any(p => p.Contains($":{key} ", StringComparison.OrdinalIgnoreCase) || p.Contains($":{key}:", StringComparison.OrdinalIgnoreCase));

    public IReadOnlyList<string> Of(Type type, string? name)
    {
        var key = (type, name ?? Options.DefaultName);
        return [.. _atRegistration.GetValueOrDefault(key) ?? [], .. _found.GetValueOrDefault(key) ?? []];
    }
}

/// <summary>Fails validation of an options instance with the problems its binding found.</summary>
internal sealed class ConfigurationProblemsValidator<TOptions>(ConfigurationProblems problems) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var found = problems.Of(typeof(TOptions), name);
        return found.Count == 0 ? ValidateOptionsResult.Skip : ValidateOptionsResult.Fail(found);
    }
}
