using System.Text.Json.Serialization;

namespace WabaHooks.AspNetCore.Health;

/// <summary>The body of <c>/readyz</c>.</summary>
internal sealed record ReadinessReport(string Status, string Store);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ReadinessReport))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
