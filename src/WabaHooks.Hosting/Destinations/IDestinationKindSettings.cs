namespace WabaHooks.Hosting.Destinations;

/// <summary>
/// The settings a kind of destination adds to the common ones (<see cref="DestinationOptions"/>): a RabbitMQ exchange, a
/// NATS subject. They are read from the same item of the <c>Destinations</c> list, with the same binder (unknown keys
/// and malformed values stop start-up, secrets may come from files), as named options under the destination's name.
/// </summary>
public interface IDestinationKindSettings
{
    /// <summary>Every problem with these settings, each saying what to fix; empty when they are valid.</summary>
    /// <param name="destination">The destination's common settings, for its name and URL.</param>
    IEnumerable<string> Validate(DestinationOptions destination);
}
