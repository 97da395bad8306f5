using System.Text.Json.Serialization;
using WabaHooks.AspNetCore.Destinations;
using WabaHooks.AspNetCore.Watchdog;

namespace WabaHooks.AspNetCore.Health;

/// <summary>The body of <c>/readyz</c>.</summary>
/// <param name="Status"><c>ready</c> or <c>unavailable</c>; decided by the store alone.</param>
/// <param name="Store"><c>ok</c>, or why the store cannot take writes.</param>
/// <param name="Watchdog">The watchdog's state and warnings, when it runs; absent otherwise.</param>
/// <param name="Destinations">Each HTTP destination's circuit and requests in flight in this process; absent without destinations.</param>
internal sealed record ReadinessReport(
    string Status,
    string Store,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] WatchdogReport? Watchdog = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<DestinationStatus>? Destinations = null);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ReadinessReport))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
