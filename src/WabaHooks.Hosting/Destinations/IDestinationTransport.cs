namespace WabaHooks.Hosting.Destinations;

/// <summary>
/// How one destination's messages leave the process: HTTP (<see cref="DestinationClient"/>), or a broker added by its own
/// package (<c>AddRabbitMqDestinations()</c>, <c>AddNatsDestinations()</c>). Everything around the send — filters,
/// claiming, retries and backoff, the circuit breaker, dead letters, replay, attempts and telemetry — is shared and
/// lives in the destination loop; a transport only sends and says how it went.
/// </summary>
/// <remarks>
/// <see cref="SendAsync"/> is called concurrently, up to <see cref="DestinationOptions.MaxConcurrency"/> times at once,
/// so a broker transport keeps many publishes in flight and awaits their confirmations together.
/// </remarks>
public interface IDestinationTransport : IAsyncDisposable
{
    /// <summary>
    /// Whether each message carries one event. When false (HTTP in Meta's format), the claimed events of one delivery
    /// travel together as one narrowed envelope.
    /// </summary>
    bool OneEventPerMessage { get; }

    /// <summary>
    /// Connects and checks what the settings name exists (a RabbitMQ exchange, a JetStream stream). A broker that cannot
    /// be reached is not a reason to stop: the work waits in the store and the circuit breaker paces the retries.
    /// </summary>
    /// <param name="cancellationToken">Aborts the start.</param>
    /// <exception cref="InvalidOperationException">The broker answered that what the settings name does not exist; the message says what to fix.</exception>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Sends one message; it counts as delivered only when the answer says the destination took it.</summary>
    /// <param name="message">The message: its id (the idempotency key), body and events.</param>
    /// <param name="cancellationToken">Cancelled at shutdown; the attempt is then recorded as interrupted.</param>
    /// <returns>How it went. Never throws for a failure of the destination; the failure is in the answer.</returns>
    Task<DestinationResponse> SendAsync(DestinationMessage message, CancellationToken cancellationToken);

    /// <summary>Sends a test message in the destination's format, for <c>wabahooks destinations test</c>.</summary>
    /// <param name="cancellationToken">Aborts the test.</param>
    Task<DestinationResponse> SendTestAsync(CancellationToken cancellationToken);
}
