using System.Text.Json.Serialization;

namespace WabaHooks.Graph;

/// <summary>Source-generated serialization for everything the client reads and writes.</summary>
/// <remarks>Numbers are read from strings too: Graph has sent ids and codes both ways over the years.</remarks>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(GraphSuccess))]
[JsonSerializable(typeof(GraphErrorEnvelope))]
[JsonSerializable(typeof(GraphList<AppSubscription>))]
[JsonSerializable(typeof(GraphList<WabaSubscribedApp>))]
[JsonSerializable(typeof(PhoneNumberWebhookConfiguration))]
[JsonSerializable(typeof(WabaOverrideBody))]
[JsonSerializable(typeof(PhoneNumberOverrideBody))]
[JsonSerializable(typeof(GraphMedia))]
internal sealed partial class GraphJsonContext : JsonSerializerContext;
