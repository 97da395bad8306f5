namespace WabaHooks.Hosting.Destinations;

/// <summary>A kind of destination beside HTTP, as its package registered it.</summary>
/// <param name="Name">The value of <see cref="DestinationOptions.Kind"/> it handles.</param>
/// <param name="SettingsType">Its own settings' type, whose keys the common binding leaves to it.</param>
/// <param name="Validate">Every problem with its own settings for one destination.</param>
/// <param name="Create">Creates the transport of one destination.</param>
internal sealed record DestinationKind(
    string Name,
    Type SettingsType,
    Func<IServiceProvider, DestinationOptions, IEnumerable<string>> Validate,
    Func<IServiceProvider, DestinationOptions, IDestinationTransport> Create);
