using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using WabaHooks.Hosting.Destinations;

namespace WabaHooks.RabbitMQ;

/// <summary>
/// Publishes one destination's events to a RabbitMQ exchange: persistent, <c>mandatory</c> (an unroutable message comes
/// back and fails the attempt, never vanishes), <c>message_id</c> the idempotency key, on one channel with publisher
/// confirmations tracked, so a send counts as delivered only once the broker acknowledged it. Many publishes share the
/// channel at once and their confirmations are awaited together.
/// </summary>
/// <remarks>
/// The connection recovers by itself after a loss (the client's automatic recovery); until then sends fail fast, the
/// destination's circuit breaker pauses it, and the work waits in the store. A channel the broker closed for an error
/// of its own (an exchange deleted meanwhile) is replaced on the next send.
/// </remarks>
internal sealed class RabbitMqTransport : IDestinationTransport
{
    private const string ContentType = "application/json";

    // How soon a lost connection is tried again; the client's default of 5 s would hold events back longer than the
    // destination's own backoff.
    private static readonly TimeSpan RecoveryInterval = TimeSpan.FromSeconds(1);

    private readonly DestinationOptions _destination;
    private readonly RabbitMqDestinationOptions _rabbit;
    private readonly AddressTemplate _routingKey;
    private readonly ConnectionFactory _factory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _opening = new(1, 1);
    private IConnection? _connection;
    private IChannel? _channel;

    public RabbitMqTransport(DestinationOptions destination, RabbitMqDestinationOptions rabbit, TimeProvider time, ILogger logger)
    {
        var problems = destination.Validate().Concat(rabbit.Validate(destination)).ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(destination));
        }

        _destination = destination;
        _rabbit = rabbit;
        _routingKey = rabbit.RoutingKeyTemplate!;
        _time = time;
        _logger = logger;
        _factory = new ConnectionFactory
        {
            Uri = destination.Url!,
            AutomaticRecoveryEnabled = true,
            // Nothing of the gateway's own to re-declare: the exchange is durable and outlives a restart of the broker.
            TopologyRecoveryEnabled = false,
            NetworkRecoveryInterval = RecoveryInterval,
            RequestedConnectionTimeout = destination.Timeout,
            ClientProvidedName = $"wabahooks {destination.Name}",
        };
        if (rabbit.UserName.Length > 0)
        {
            _factory.UserName = rabbit.UserName;
        }

        if (rabbit.Password.Length > 0)
        {
            _factory.Password = rabbit.Password;
        }
    }

    public bool OneEventPerMessage => true;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        IConnection connection;
        try
        {
            connection = await ConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            RabbitMqLog.NotChecked(_logger, _destination.Name, Describe(ex));
            return;
        }

        // On a channel of its own: the broker closes the channel a failed declaration was made on.
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await using var _ = channel.ConfigureAwait(false);
        try
        {
            if (_rabbit.DeclareExchange)
            {
                await channel.ExchangeDeclareAsync(_rabbit.Exchange, _rabbit.ExchangeType, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await channel.ExchangeDeclarePassiveAsync(_rabbit.Exchange, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason is { ReplyCode: 404 })
        {
            throw new InvalidOperationException(
                $"Destination '{_destination.Name}': RabbitMQ has no exchange '{_rabbit.Exchange}' in virtual host '{_factory.VirtualHost}'. Create it (and bind queues to it), or set DeclareExchange: true for the gateway to declare it.",
                ex);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason is { } reason)
        {
            throw new InvalidOperationException(
                $"Destination '{_destination.Name}': RabbitMQ refused exchange '{_rabbit.Exchange}': {reason.ReplyCode} {reason.ReplyText}.", ex);
        }
    }

    public Task<DestinationResponse> SendAsync(DestinationMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return PublishAsync(message, cancellationToken);
    }

    public Task<DestinationResponse> SendTestAsync(CancellationToken cancellationToken) =>
        PublishAsync(DestinationTestMessage.Create(_destination.Format, _time.GetUtcNow()), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_channel is { } channel)
        {
            await channel.DisposeAsync().ConfigureAwait(false);
        }

        if (_connection is { } connection)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _opening.Dispose();
    }

    private async Task<DestinationResponse> PublishAsync(DestinationMessage message, CancellationToken cancellationToken)
    {
        var e = message.Event;
        var routingKey = _routingKey.Expand(e);
        var properties = new BasicProperties
        {
            MessageId = message.Id,
            ContentType = ContentType,
            DeliveryMode = DeliveryModes.Persistent,
            Type = e.Type,
            AppId = "wabahooks",
            Timestamp = new AmqpTimestamp(_time.GetUtcNow().ToUnixTimeSeconds()),
            Headers = new Dictionary<string, object?>
            {
                ["wabahooks-type"] = e.Type,
                ["wabahooks-field"] = e.Field,
                ["wabahooks-waba-id"] = e.WabaId,
                ["wabahooks-phone-number-id"] = e.PhoneNumberId ?? "",
                ["wabahooks-format"] = _destination.Format == DestinationFormat.Event ? "event" : "meta",
            },
        };
        Activity.Current?.SetTag("messaging.rabbitmq.destination.routing_key", routingKey);

        using var deadline = new CancellationTokenSource(_destination.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var started = _time.GetTimestamp();
        try
        {
            var channel = await ChannelAsync(linked.Token).ConfigureAwait(false);
            // Returns once the broker confirmed it; throws when it was returned (unroutable) or nacked.
            await channel.BasicPublishAsync(_rabbit.Exchange, routingKey, mandatory: true, properties, message.Body, linked.Token).ConfigureAwait(false);
            return DestinationResponse.Confirmed(_time.GetElapsedTime(started), $"acknowledged by RabbitMQ (exchange '{_rabbit.Exchange}', routing key '{routingKey}')");
        }
        catch (PublishReturnException ex)
        {
            return DestinationResponse.Refused(
                _time.GetElapsedTime(started),
                $"returned by RabbitMQ as unroutable ({ex.ReplyCode} {ex.ReplyText}): no queue is bound to exchange '{_rabbit.Exchange}' for routing key '{routingKey}'");
        }
        catch (PublishException)
        {
            return DestinationResponse.Refused(_time.GetElapsedTime(started), "negatively acknowledged (nack) by RabbitMQ: the broker could not take the message");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return DestinationResponse.Refused(_time.GetElapsedTime(started), $"no confirmation from RabbitMQ within {_destination.Timeout.TotalSeconds:0.###} s", timedOut: true);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return DestinationResponse.Refused(_time.GetElapsedTime(started), "cancelled");
        }
        catch (Exception ex)
        {
            // Connection lost or refused, channel closed by the broker: this attempt fails, the next one tries again.
            return DestinationResponse.Refused(_time.GetElapsedTime(started), Describe(ex));
        }
    }

    /// <summary>The open channel, opening the connection or replacing a channel the broker closed.</summary>
    private async Task<IChannel> ChannelAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _channel) is { IsOpen: true } open)
        {
            return open;
        }

        await _opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_channel is { IsOpen: true } opened)
            {
                return opened;
            }

            var connection = await ConnectionAsync(cancellationToken).ConfigureAwait(false);
            if (!connection.IsOpen)
            {
                // Lost and recovering: the channel comes back with the connection.
                throw new AlreadyClosedException(connection.CloseReason!);
            }

            if (_channel is { } closed)
            {
                await closed.DisposeAsync().ConfigureAwait(false);
            }

            // Unthrottled by the client: the destination's MaxConcurrency already bounds the publishes in flight.
            var options = new CreateChannelOptions(
                publisherConfirmationsEnabled: true,
                publisherConfirmationTrackingEnabled: true,
                outstandingPublisherConfirmationsRateLimiter: null);
            var channel = await connection.CreateChannelAsync(options, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _channel, channel);
            return channel;
        }
        finally
        {
            _opening.Release();
        }
    }

    private async Task<IConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } connection)
        {
            return connection;
        }

        // With automatic recovery the client reconnects after a loss, but not when the first connection fails.
        _connection = await _factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        return _connection;
    }

    /// <summary>A failure in words, without the URL (which may hold a password).</summary>
    private static string Describe(Exception ex) => ex switch
    {
        AlreadyClosedException { ShutdownReason: { } reason } => $"connection to RabbitMQ closed ({reason.ReplyCode} {reason.ReplyText})",
        OperationInterruptedException { ShutdownReason: { } reason } => $"RabbitMQ closed the channel ({reason.ReplyCode} {reason.ReplyText})",
        BrokerUnreachableException => $"RabbitMQ unreachable ({ex.InnerException?.GetBaseException().Message ?? ex.Message})",
        _ => $"{ex.GetType().Name}: {ex.GetBaseException().Message}",
    };
}
