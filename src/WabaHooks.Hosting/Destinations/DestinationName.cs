namespace WabaHooks.Hosting.Destinations;

/// <summary>A destination's name, registered once per destination so two cannot share it and tools can list them.</summary>
internal sealed record DestinationName(string Name);
