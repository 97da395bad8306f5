using System.Text.Json.Serialization;
using WabaHooks.AspNetCore.Destinations;
using WabaHooks.AspNetCore.Watchdog;

namespace WabaHooks.AspNetCore.Health;

/// <summary>The body of <c>/readyz</c>.</summary>
/// <param name="Status"><c>ready</c> or <c>unavailable</c>; decided by the inbox and the processor alone.</param>
/// <param name="Reason">Why it is unavailable, in words that name no id, destination or error text; absent when ready.</param>
/// <param name="Detail">The error behind <paramref name="Reason"/>, only where details are shown.</param>
/// <param name="Watchdog">The watchdog's state and warnings, when it runs and details are shown.</param>
/// <param name="Destinations">Each HTTP destination's circuit and requests in flight in this process, when details are shown.</param>
internal sealed record ReadinessReport(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] WatchdogReport? Watchdog = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<DestinationStatus>? Destinations = null);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ReadinessReport))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
