using System.Text.Json;
using System.Text.Json.Serialization;

namespace WabaHooks.Cli.Output;

/// <summary>Source-generated JSON for what the inspection commands print.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(List<EventJson>))]
[JsonSerializable(typeof(EventDetailJson))]
[JsonSerializable(typeof(MessageStatusJson))]
[JsonSerializable(typeof(List<DestinationJson>))]
[JsonSerializable(typeof(List<DeadLetterJson>))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class OutputJsonContext : JsonSerializerContext;
