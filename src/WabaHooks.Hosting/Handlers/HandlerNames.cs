using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Sinks;

namespace WabaHooks.Hosting.Handlers;

/// <summary>
/// Gives each handler a sink name that is the same on every start of the same code, because pending work is recorded
/// under it: derived from how the handler was registered, plus an ordinal among registrations of the same shape.
/// </summary>
internal static class HandlerNames
{
    public const string Prefix = "handler:";

    public static string Resolve(IServiceCollection services, string kind, string? explicitName)
    {
        var taken = services
            .Where(d => d.ServiceType == typeof(SinkRegistration) && !d.IsKeyedService && d.ImplementationInstance is SinkRegistration)
            .Select(d => ((SinkRegistration)d.ImplementationInstance!).Name)
            .ToHashSet(StringComparer.Ordinal);

        if (explicitName is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(explicitName, "name");
            if (taken.Contains(explicitName))
            {
                throw new ArgumentException($"A sink named '{explicitName}' is already registered; give each handler its own name.", "name");
            }

            return explicitName;
        }

        var baseName = Prefix + kind;
        var candidate = baseName;
        for (var ordinal = 2; taken.Contains(candidate); ordinal++)
        {
            candidate = $"{baseName}#{ordinal}";
        }

        return candidate;
    }

    /// <summary><c>TextMessage</c>, or <c>IReadOnlyList&lt;WhatsAppError&gt;</c> for a generic type.</summary>
    public static string Of(Type type)
    {
        if (!type.IsGenericType)
        {
            return type.Name;
        }

        var name = type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)];
        return $"{name}<{string.Join(",", type.GetGenericArguments().Select(Of))}>";
    }
}
