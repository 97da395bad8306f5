using System.Diagnostics;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;
using WabaHooks.Hosting.Destinations;

namespace WabaHooks.Nats;

/// <summary>
/// Publishes one destination's events to NATS JetStream with <c>Nats-Msg-Id</c> = the idempotency key, so the stream's
/// duplicate window drops a repeat (a retry after a lost acknowledgement, a replay within the window); an
/// acknowledgement marked duplicate counts as delivered. A send counts as delivered only once the stream acknowledged
/// it. Many publishes share the connection at once, each awaiting its own acknowledgement.
/// </summary>
/// <remarks>
/// The connection reconnects by itself; until then a publish waits for it up to the destination's timeout, then fails,
/// and the work waits in the store while the circuit breaker paces the retries.
/// </remarks>
internal sealed class NatsTransport : IDestinationTransport
{
    private readonly DestinationOptions _destination;
    private readonly AddressTemplate _subject;
    private readonly NatsConnection _connection;
    private readonly NatsJSContext _jetStream;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public NatsTransport(DestinationOptions destination, NatsDestinationOptions nats, TimeProvider time, ILogger logger)
    {
        var problems = destination.Validate().Concat(nats.Validate(destination)).ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(destination));
        }

        _destination = destination;
        _subject = nats.SubjectTemplate!;
        _time = time;
        _logger = logger;
        var auth = NatsAuthOpts.Default;
        if (nats.UserName.Length > 0 || nats.Password.Length > 0)
        {
            auth = auth with { Username = nats.UserName.Length > 0 ? nats.UserName : null, Password = nats.Password.Length > 0 ? nats.Password : null };
        }

        if (nats.Token.Length > 0)
        {
            auth = auth with { Token = nats.Token };
        }

        _connection = new NatsConnection(NatsOpts.Default with
        {
            Url = destination.Url!.ToString(),
            Name = $"wabahooks {destination.Name}",
            AuthOpts = auth,
            ConnectTimeout = destination.Timeout,
            RequestTimeout = destination.Timeout,
            // Reconnect for ever: the broker coming back is the only way the events waiting in the store get out.
            MaxReconnectRetry = -1,
            ReconnectWaitMin = TimeSpan.FromMilliseconds(200),
            ReconnectWaitMax = TimeSpan.FromSeconds(2),
        });
        // Its request timeout is the connection's, the destination's timeout.
        _jetStream = new NatsJSContext(_connection);
    }

    public bool OneEventPerMessage => true;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _connection.ConnectAsync().AsTask().WaitAsync(_destination.Timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            NatsLog.NotChecked(_logger, _destination.Name, Describe(ex));
            return;
        }

        // Any subject the template can make: each placeholder a token wildcard, {type} two.
        var subjects = _subject.Text.Replace("{type}", "*.*", StringComparison.Ordinal)
            .Replace("{field}", "*", StringComparison.Ordinal).Replace("{waba_id}", "*", StringComparison.Ordinal).Replace("{phone_number_id}", "*", StringComparison.Ordinal);
        var streams = new List<string>();
        try
        {
            await foreach (var name in _jetStream.ListStreamNamesAsync(subjects, cancellationToken).ConfigureAwait(false))
            {
                streams.Add(name);
            }
        }
        catch (NatsJSApiException ex)
        {
            throw new InvalidOperationException($"Destination '{_destination.Name}': JetStream answered {ex.Error.Code} {ex.Error.Description}; is JetStream enabled on the server (nats-server -js)?", ex);
        }
        catch (NatsNoRespondersException ex)
        {
            throw new InvalidOperationException($"Destination '{_destination.Name}': the NATS server has no JetStream; enable it (nats-server -js, or jetstream {{}} in its configuration).", ex);
        }

        if (streams.Count == 0)
        {
            throw new InvalidOperationException(
                $"Destination '{_destination.Name}': no JetStream stream takes the subjects {subjects}. Create one whose subjects include them (e.g. nats stream add WHATSAPP --subjects '{subjects}'), or change Subject.");
        }
    }

    public Task<DestinationResponse> SendAsync(DestinationMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return PublishAsync(message, cancellationToken);
    }

    public Task<DestinationResponse> SendTestAsync(CancellationToken cancellationToken) =>
        PublishAsync(DestinationTestMessage.Create(_destination.Format, _time.GetUtcNow()), cancellationToken);

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private async Task<DestinationResponse> PublishAsync(DestinationMessage message, CancellationToken cancellationToken)
    {
        var e = message.Event;
        var subject = _subject.Expand(e);
        var headers = new NatsHeaders
        {
            ["Content-Type"] = "application/json",
            ["WabaHooks-Type"] = e.Type,
            ["WabaHooks-Field"] = e.Field,
            ["WabaHooks-Waba-Id"] = e.WabaId,
            ["WabaHooks-Format"] = _destination.Format == DestinationFormat.Event ? "event" : "meta",
        };
        if (e.PhoneNumberId is { Length: > 0 } phone)
        {
            headers["WabaHooks-Phone-Number-Id"] = phone;
        }

        Activity.Current?.SetTag("messaging.nats.subject", subject);
        using var deadline = new CancellationTokenSource(_destination.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var started = _time.GetTimestamp();
        try
        {
            var ack = await _jetStream.PublishAsync(subject, message.Body, opts: new NatsJSPubOpts { MsgId = message.Id }, headers: headers, cancellationToken: linked.Token).ConfigureAwait(false);
            ack.EnsureSuccess();
            return DestinationResponse.Confirmed(
                _time.GetElapsedTime(started),
                ack.Duplicate
                    ? $"already in stream {ack.Stream} as message {ack.Seq} (duplicate message id, dropped by the server)"
                    : $"stored in stream {ack.Stream} as message {ack.Seq} (subject '{subject}')");
        }
        catch (NatsJSDuplicateMessageException ex)
        {
            // The stream already holds this id within its duplicate window: what the id is for. Delivered.
            return DestinationResponse.Confirmed(_time.GetElapsedTime(started), $"already in the stream as message {ex.Sequence} (duplicate message id, dropped by the server)");
        }
        catch (NatsNoRespondersException)
        {
            return DestinationResponse.Refused(_time.GetElapsedTime(started), $"no JetStream stream takes subject '{subject}' (no responders)");
        }
        catch (NatsJSApiException ex)
        {
            return DestinationResponse.Refused(_time.GetElapsedTime(started), $"JetStream refused it: {ex.Error.Code} {ex.Error.Description}");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return DestinationResponse.Refused(_time.GetElapsedTime(started), $"no acknowledgement from JetStream within {_destination.Timeout.TotalSeconds:0.###} s", timedOut: true);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return DestinationResponse.Refused(_time.GetElapsedTime(started), "cancelled");
        }
        catch (Exception ex)
        {
            return DestinationResponse.Refused(_time.GetElapsedTime(started), Describe(ex));
        }
    }

    private static string Describe(Exception ex) => $"{ex.GetType().Name}: {ex.GetBaseException().Message}";
}
