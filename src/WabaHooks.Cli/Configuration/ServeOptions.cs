using WabaHooks.AspNetCore.Transport;
using WabaHooks.Cli.Serving.Transport;

namespace WabaHooks.Cli.Configuration;

/// <summary>
/// What only <c>wabahooks serve</c> reads, in the <c>Serve</c> sub-section of the WabaHooks configuration: where it
/// listens and how; a library user decides these in their own <c>Program.cs</c>.
/// </summary>
internal sealed class ServeOptions
{
    /// <summary>The default of <see cref="Urls"/>: loopback only, so nothing is exposed until asked.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>The addresses to listen on, separated by <c>;</c>: <c>http://HOST:PORT</c> or <c>https://HOST:PORT</c>. Default <c>http://127.0.0.1:8080</c>.</summary>
    public string Urls { get; set; } = DefaultUrls;

    /// <summary>Meta's callback path. Default <c>/webhook</c>.</summary>
    public string Path { get; set; } = "/webhook";

    /// <summary>A PEM certificate file (full chain) for the https:// addresses.</summary>
    public string? HttpsCertificate { get; set; }

    /// <summary>The PEM private key file of <see cref="HttpsCertificate"/>.</summary>
    public string? HttpsKey { get; set; }

    /// <summary>Mutual TLS: Meta's client certificate, required at the handshake or forwarded by a known proxy. Off by default.</summary>
    public ClientCertificateOptions ClientCertificate { get; } = new();

    /// <summary>Kestrel's limits on the webhook listener: sizes, timeouts, slow senders, connections.</summary>
    public WebhookListenerLimits Limits { get; } = new();

    /// <summary>
    /// Whether <c>/readyz</c> shows the store's error, the watchdog's WABAs and each destination's circuit, not only its
    /// status and reason. Default false: <c>/readyz</c> is reachable wherever the callback URL is.
    /// </summary>
    public bool ReadyzDetails { get; set; }

    /// <summary>
    /// Whether to log a line per processed delivery (id, size, app, event count) and per destination attempt: WabaHooks'
    /// own Debug level. Default false.
    /// </summary>
    public bool Verbose { get; set; }

    /// <summary>
    /// <c>simple</c> (one readable line per entry) or <c>json</c> (one JSON object per line, with the entry's fields and
    /// trace id; the banner then goes to standard error). Default <c>simple</c>.
    /// </summary>
    public LogFormat LogFormat { get; set; } = LogFormat.Simple;
}
