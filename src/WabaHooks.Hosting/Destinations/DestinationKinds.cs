namespace WabaHooks.Hosting.Destinations;

/// <summary>The kinds of destination: <c>http</c> here, the brokers in their own packages.</summary>
public static class DestinationKinds
{
    /// <summary>HTTP POSTs (<see cref="DestinationClient"/>): the default kind.</summary>
    public const string Http = "http";

    // The kinds this repository ships in packages of their own, so a destination naming one whose package the
    // application did not add is told exactly what to add, rather than only that the kind is unknown.
    private static readonly Dictionary<string, string> Packages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["rabbitmq"] = "the WabaHooks.RabbitMQ package and builder.AddRabbitMqDestinations()",
        ["nats"] = "the WabaHooks.Nats package and builder.AddNatsDestinations()",
    };

    /// <summary>Whether <paramref name="kind"/> is HTTP's.</summary>
    /// <param name="kind">A destination's <see cref="DestinationOptions.Kind"/>.</param>
    public static bool IsHttp(string? kind) => string.IsNullOrEmpty(kind) || string.Equals(kind, Http, StringComparison.OrdinalIgnoreCase);

    /// <summary>What to do about a destination whose kind no registered transport handles.</summary>
    internal static string Unknown(string who, string kind, IEnumerable<string> registered) =>
        Packages.TryGetValue(kind, out var package)
            ? $"{who}: Kind '{kind}' needs {package}; this application has not added it."
            : $"{who}: Kind '{kind}' is not known. Use one of: {string.Join(", ", new[] { Http }.Concat(registered).Distinct(StringComparer.OrdinalIgnoreCase))}.";
}
