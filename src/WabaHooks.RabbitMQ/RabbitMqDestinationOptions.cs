using WabaHooks.Hosting.Configuration;
using WabaHooks.Hosting.Destinations;

namespace WabaHooks.RabbitMQ;

/// <summary>
/// What a <c>rabbitmq</c> destination adds to the common settings, in the same item of the <c>Destinations</c> list.
/// Its <c>Url</c> is the broker's: <c>amqp://user:pass@host:5672/vhost</c> (or <c>amqps://</c>).
/// </summary>
public sealed class RabbitMqDestinationOptions : IDestinationKindSettings
{
    /// <summary>The exchange events are published to. Required.</summary>
    public string Exchange { get; set; } = "";

    /// <summary>
    /// The routing key of each event, with the placeholders of <see cref="AddressTemplate"/>: <c>{field}</c>,
    /// <c>{type}</c>, <c>{waba_id}</c>, <c>{phone_number_id}</c>. Default <c>{type}</c> (<c>messages.text</c>), which a
    /// topic exchange binds with patterns such as <c>messages.*</c> or <c>statuses.#</c>.
    /// </summary>
    public string RoutingKey { get; set; } = "{type}";

    /// <summary>
    /// Whether the gateway declares the exchange (durable, of <see cref="ExchangeType"/>) at start. Default false: the
    /// exchange is checked (a passive declare), and a missing one stops start-up, so a typo never publishes into an
    /// exchange nobody binds.
    /// </summary>
    public bool DeclareExchange { get; set; }

    /// <summary>The type of the exchange <see cref="DeclareExchange"/> declares: <c>topic</c> (default), <c>direct</c>, <c>fanout</c> or <c>headers</c>.</summary>
    public string ExchangeType { get; set; } = "topic";

    /// <summary>The user name; overrides the one in the URL. Default: the URL's, else RabbitMQ's <c>guest</c>.</summary>
    public string UserName { get; set; } = "";

    /// <summary>The password, or <c>{ "File": "/run/secrets/rabbitmq" }</c>; overrides the one in the URL, which then need not hold it.</summary>
    [Secret]
    public string Password { get; set; } = "";

    /// <summary>The routing key template, read.</summary>
    [NotConfigurable]
    public AddressTemplate? RoutingKeyTemplate => AddressTemplate.TryParse(RoutingKey, out var parsed, out _) ? parsed : null;

    /// <inheritdoc/>
    public IEnumerable<string> Validate(DestinationOptions destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var who = $"Destination '{destination.Name}'";
        if (destination.Url is { } url && (!url.IsAbsoluteUri || (url.Scheme != "amqp" && url.Scheme != "amqps")))
        {
            yield return $"{who}: Url '{Redacted(url)}' is not an amqp:// or amqps:// URL (amqp://user@host:5672/vhost).";
        }

        if (string.IsNullOrWhiteSpace(Exchange))
        {
            yield return $"{who} has no Exchange: name the exchange events are published to (it must exist, or set DeclareExchange: true).";
        }

        if (!AddressTemplate.TryParse(RoutingKey, out _, out var problem))
        {
            yield return $"{who}: RoutingKey '{RoutingKey}' cannot be used: {problem}.";
        }

        if (ExchangeType is not ("topic" or "direct" or "fanout" or "headers"))
        {
            yield return $"{who}: ExchangeType must be topic, direct, fanout or headers.";
        }
    }

    /// <summary>The URL without its password, for messages.</summary>
    internal static string Redacted(Uri url) =>
        url.IsAbsoluteUri && url.UserInfo.Length > 0 ? url.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped) : url.ToString();
}
