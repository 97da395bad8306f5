namespace WabaHooks.Cli.Serving.Transport;

/// <summary>
/// Mutual TLS with Meta (<c>Serve:ClientCertificate</c>): the client certificate Meta presents on its webhook calls,
/// checked at the TLS handshake, or — behind a proxy that terminates TLS — in a header that proxy forwards.
/// </summary>
internal sealed class ClientCertificateOptions
{
    /// <summary>Meta's client certificate's common name, the only one accepted unless <see cref="SubjectNames"/> says otherwise.</summary>
    public const string MetaSubjectName = "client.webhooks.fbclientcerts.com";

    /// <summary>
    /// The PEM file of the CA that signs Meta's client certificates (<c>meta-outbound-api-ca-2025-12.pem</c>, from
    /// Meta's docs; Meta changes it over time). The only trust anchor: the system's CAs are not consulted. It may also
    /// hold intermediates, and two roots during a CA change. Unset (the default): no client certificate is asked for.
    /// </summary>
    public string? CaFile { get; set; }

    /// <summary>The accepted subject common names of the client's certificate. Default <c>client.webhooks.fbclientcerts.com</c>.</summary>
    public IList<string> SubjectNames { get; } = [MetaSubjectName];

    /// <summary>
    /// Whether the chain's revocation lists are fetched and checked during the handshake. Default false: Meta's CRL
    /// may be unreachable from the gateway, and a fetch on every handshake delays Meta's calls.
    /// </summary>
    public bool CheckRevocation { get; set; }

    /// <summary>
    /// Behind a proxy that terminates TLS: the header in which it forwards the client certificate, URL-escaped PEM
    /// (nginx's <c>$ssl_client_escaped_cert</c>), e.g. <c>X-Client-Cert</c>. Unset (the default): the gateway itself
    /// terminates TLS and asks for the certificate at the handshake.
    /// </summary>
    public string? ForwardedHeader { get; set; }

    /// <summary>
    /// The addresses of the proxies allowed to forward <see cref="ForwardedHeader"/>; a call to the callback URL from
    /// any other address is refused 403. Required with <see cref="ForwardedHeader"/>.
    /// </summary>
    public IList<string> KnownProxies { get; } = [];
}
