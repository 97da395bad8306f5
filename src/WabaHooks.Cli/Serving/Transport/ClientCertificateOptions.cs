using WabaHooks.AspNetCore.Transport;

namespace WabaHooks.Cli.Serving.Transport;

/// <summary>
/// Mutual TLS with Meta (<c>Serve:ClientCertificate</c>): the client certificate Meta presents on its webhook calls,
/// checked at the TLS handshake, or — behind a proxy that terminates TLS — in a header that proxy forwards.
/// </summary>
internal sealed class ClientCertificateOptions : MetaClientCertificateOptions
{
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
