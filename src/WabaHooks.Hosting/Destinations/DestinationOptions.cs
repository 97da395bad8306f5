using WabaHooks.Destinations;
using WabaHooks.Hosting.Configuration;
using WabaHooks.Sinks;

namespace WabaHooks.Hosting.Destinations;

/// <summary>
/// Where events go after the 200 to Meta — an HTTP endpoint, or a broker of a <see cref="Kind"/> its package adds — each
/// (event, destination) pair at least once, with its own attempts, backoff, dead letter and replay. A slow or failing destination never holds up another one, the
/// processing of new deliveries, or the answer to Meta.
/// </summary>
public sealed class DestinationOptions
{
    /// <summary>The prefix of a destination's sink name, which keeps it apart from in-process handlers.</summary>
    public const string SinkPrefix = "destination:";

    /// <summary>
    /// Stable across restarts: pending work is recorded under it (as <c>destination:Name</c>). Letters, digits,
    /// <c>-</c>, <c>_</c> and <c>.</c>.
    /// </summary>
    public string Name { get; set; } = "";

    /// <summary>
    /// How events travel: <c>http</c> (the default), or a broker kind its package adds — <c>rabbitmq</c>
    /// (<c>AddRabbitMqDestinations()</c>) or <c>nats</c> (<c>AddNatsDestinations()</c>). A kind no package handles stops
    /// start-up.
    /// </summary>
    public string Kind { get; set; } = DestinationKinds.Http;

    /// <summary>
    /// Where events go. HTTP: the absolute <c>http</c> or <c>https</c> URL they are POSTed to; redirects are not
    /// followed. A broker: its address (<c>amqp://user:pass@host:5672/vhost</c>, <c>nats://host:4222</c>).
    /// </summary>
    public Uri? Url { get; set; }

    /// <summary>What is sent. Default <see cref="DestinationFormat.Meta"/>.</summary>
    public DestinationFormat Format { get; set; } = DestinationFormat.Meta;

    /// <summary>
    /// HTTP only: the signing secret (a broker authenticates the gateway itself). For <see cref="DestinationFormat.Meta"/>, any string, used as an app secret is; for
    /// <see cref="DestinationFormat.Event"/>, a Standard Webhooks secret (<c>whsec_</c> + base64, see
    /// <see cref="StandardWebhooks.ParseSecret"/>).
    /// </summary>
    [Secret]
    public string Secret { get; set; } = "";

    /// <summary>Only these fields; empty means all.</summary>
    public IList<string> Fields { get; } = [];

    /// <summary>Only these event types (<c>messages.text</c>, <c>statuses.*</c>); empty means all.</summary>
    public IList<string> Types { get; } = [];

    /// <summary>Only these WABA ids; empty means all.</summary>
    public IList<string> WabaIds { get; } = [];

    /// <summary>Only these phone number ids; empty means all.</summary>
    public IList<string> PhoneNumberIds { get; } = [];

    /// <summary>
    /// Whether events marked as tests (sent by <c>wabahooks trigger</c> and <c>verify-endpoint</c>) are sent here too.
    /// Default false: made-up customer messages never reach a production system unless it asks for them.
    /// </summary>
    public bool IncludeTestEvents { get; set; }

    /// <summary>
    /// How long one request may take, answer included (for a broker: the publish and its confirmation); past it the
    /// attempt fails. Default 10 seconds.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Requests (for a broker: unconfirmed publishes) to this destination in flight at once. Default 8; a broker takes
    /// hundreds, its confirmations awaited together.
    /// </summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>
    /// How often this destination looks for due work (retries coming due, work stored by another process, the end of a
    /// pause). New events stored by this process wake it at once. Default 250 milliseconds.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// <see cref="SinkOrdering.PerConversation"/> sends one event at a time per conversation (business phone number and
    /// customer, or the WABA for events about no conversation), in the order of Meta's timestamps and then of arrival; a
    /// failing event holds back its own conversation only. Default <see cref="SinkOrdering.None"/>: events go as they come
    /// due, <see cref="MaxConcurrency"/> at a time.
    /// </summary>
    public SinkOrdering Ordering { get; set; } = SinkOrdering.None;

    /// <summary>
    /// With <see cref="SinkOrdering.PerConversation"/>: how long an event waits after it was stored before it is sent, so
    /// that an earlier event of its conversation that Meta delivers a little later still goes first. An earlier event
    /// arriving after that is sent late. Zero sends events as soon as they are first in their conversation. Default 1
    /// second.
    /// </summary>
    public TimeSpan ReorderWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// For an inbound media message (image, audio, video, document, sticker) whose media the gateway keeps on arrival
    /// (the <c>Media</c> settings, <c>AddMedia()</c>): send its event only once the media is kept. Until then each try
    /// is recorded as a failed attempt (<c>waiting for the image of message …</c>) and retried under <see cref="Retry"/>,
    /// so media that is never kept ends, at the window's end, as this destination's dead letter. Whether or not it waits,
    /// an <see cref="DestinationFormat.Event"/> message carries the media once kept (<c>data.media</c>); Meta's format is
    /// sent as Meta sent it, without it. Needs media kept on arrival. Default false.
    /// </summary>
    public bool WaitForMedia { get; set; }

    /// <summary>The retry policy.</summary>
    public DestinationRetryOptions Retry { get; } = new();

    /// <summary>When a destination that keeps failing is paused and probed.</summary>
    public DestinationCircuitOptions CircuitBreaker { get; } = new();

    /// <summary>The sink name its work is recorded under.</summary>
    [NotConfigurable]
    public string SinkName => SinkPrefix + Name;

    /// <summary>
    /// The filter built from <see cref="Fields"/>, <see cref="Types"/>, <see cref="WabaIds"/>, <see cref="PhoneNumberIds"/>
    /// and <see cref="IncludeTestEvents"/>.
    /// </summary>
    [NotConfigurable]
    public EventFilter Filter => new()
    {
        Fields = [.. Fields],
        Types = [.. Types],
        WabaIds = [.. WabaIds],
        PhoneNumberIds = [.. PhoneNumberIds],
        IncludeTestEvents = IncludeTestEvents,
    };

    /// <summary>Every problem with these settings, each saying what to fix; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        var who = Name.Length == 0 ? "A destination" : $"Destination '{Name}'";
        if (Name.Length == 0)
        {
            problems.Add("A destination has no Name: give each destination a stable name (letters, digits, '-', '_', '.').");
        }
        else if (!Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            problems.Add($"{who}: the name may hold only letters, digits, '-', '_' and '.'.");
        }

        var http = DestinationKinds.IsHttp(Kind);
        if (Url is null)
        {
            problems.Add(http
                ? $"{who} has no Url: set the absolute http(s) URL events are POSTed to."
                : $"{who} has no Url: set the address of the {Kind} broker.");
        }
        else if (http && (!Url.IsAbsoluteUri || (Url.Scheme != Uri.UriSchemeHttp && Url.Scheme != Uri.UriSchemeHttps)))
        {
            problems.Add($"{who}: Url '{Url}' is not an absolute http or https URL.");
        }

        if (!Enum.IsDefined(Format))
        {
            problems.Add($"{who}: Format must be 'meta' or 'event'.");
        }

        if (!http)
        {
            if (Secret.Length > 0)
            {
                problems.Add($"{who}: Secret signs HTTP requests only; a {Kind} destination authenticates with its broker's credentials. Remove it.");
            }
        }
        else if (string.IsNullOrWhiteSpace(Secret))
        {
            problems.Add(Format == DestinationFormat.Event
                ? $"{who} has no Secret: set a Standard Webhooks secret ('whsec_' + base64 of 24 to 64 random bytes), for example {StandardWebhooks.GenerateSecret()}."
                : $"{who} has no Secret: set the secret the destination checks X-Hub-Signature-256 with.");
        }
        else if (Format == DestinationFormat.Event)
        {
            try
            {
                StandardWebhooks.ParseSecret(Secret);
            }
            catch (FormatException ex)
            {
                problems.Add($"{who}: {ex.Message}");
            }
        }

        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(5))
        {
            problems.Add($"{who}: the timeout must be between 1 and 300 seconds.");
        }

        if (PollInterval <= TimeSpan.Zero || PollInterval > TimeSpan.FromHours(1))
        {
            problems.Add($"{who}: PollInterval must be positive and at most an hour (the default is 250 milliseconds).");
        }

        if (!Enum.IsDefined(Ordering))
        {
            problems.Add($"{who}: Ordering must be 'none' or 'perconversation'.");
        }

        if (ReorderWindow < TimeSpan.Zero || ReorderWindow > TimeSpan.FromMinutes(10))
        {
            problems.Add($"{who}: ReorderWindow must be between 0 and 10 minutes (the default is 1 second).");
        }

        if (MaxConcurrency is < 1 or > 1024)
        {
            problems.Add($"{who}: MaxConcurrency must be between 1 and 1024.");
        }

        if (Retry.BaseDelay <= TimeSpan.Zero || Retry.MaxDelay < Retry.BaseDelay)
        {
            problems.Add($"{who}: the retry base delay must be positive and no larger than the maximum delay.");
        }

        if (Retry.Window < TimeSpan.Zero)
        {
            problems.Add($"{who}: the retry window must not be negative.");
        }

        if (CircuitBreaker.FailureThreshold < 1 || CircuitBreaker.BreakDuration <= TimeSpan.Zero || CircuitBreaker.MaxBreakDuration < CircuitBreaker.BreakDuration)
        {
            problems.Add($"{who}: the circuit breaker needs a failure threshold of at least 1 and a positive break no longer than its maximum.");
        }

        return problems;
    }
}
