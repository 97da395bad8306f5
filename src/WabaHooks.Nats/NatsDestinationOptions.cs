using WabaHooks.Hosting.Configuration;
using WabaHooks.Hosting.Destinations;

namespace WabaHooks.Nats;

/// <summary>
/// What a <c>nats</c> destination adds to the common settings, in the same item of the <c>Destinations</c> list. Its
/// <c>Url</c> is the server's: <c>nats://host:4222</c> (or <c>tls://</c>). Events are published to JetStream: a stream
/// must take the subjects.
/// </summary>
public sealed class NatsDestinationOptions : IDestinationKindSettings
{
    /// <summary>
    /// The subject of each event, with the placeholders of <see cref="AddressTemplate"/>: <c>{field}</c>,
    /// <c>{type}</c>, <c>{waba_id}</c>, <c>{phone_number_id}</c>. Default <c>whatsapp.{waba_id}.{type}</c>
    /// (<c>whatsapp.102290129340398.messages.text</c>), which a stream takes with <c>whatsapp.&gt;</c>.
    /// </summary>
    public string Subject { get; set; } = "whatsapp.{waba_id}.{type}";

    /// <summary>The user name; overrides the one in the URL.</summary>
    public string UserName { get; set; } = "";

    /// <summary>The password, or <c>{ "File": "/run/secrets/nats" }</c>; overrides the one in the URL.</summary>
    [Secret]
    public string Password { get; set; } = "";

    /// <summary>A token, when the server authenticates with one; or <c>{ "File": … }</c>.</summary>
    [Secret]
    public string Token { get; set; } = "";

    /// <summary>The subject template, read.</summary>
    [NotConfigurable]
    public AddressTemplate? SubjectTemplate => AddressTemplate.TryParse(Subject, out var parsed, out _) ? parsed : null;

    /// <inheritdoc/>
    public IEnumerable<string> Validate(DestinationOptions destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var who = $"Destination '{destination.Name}'";
        if (destination.Url is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("nats" or "tls")))
        {
            yield return $"{who}: Url is not a nats:// or tls:// URL (nats://host:4222).";
        }

        if (!AddressTemplate.TryParse(Subject, out var subject, out var problem))
        {
            yield return $"{who}: Subject '{Subject}' cannot be used: {problem}.";
        }
        else if (subject!.Literals.Any(l => l.Any(c => c is '*' or '>' || char.IsWhiteSpace(c))) || Subject.StartsWith('.') || Subject.EndsWith('.') || Subject.Contains("..", StringComparison.Ordinal))
        {
            yield return $"{who}: Subject '{Subject}' cannot be published to: no wildcards (* and >), spaces, or empty tokens.";
        }
    }
}
