using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace WabaHooks.AspNetCore.Transport;

/// <summary>
/// The TLS settings of each new connection of the webhook listener: the server certificate as it is now, and, with
/// mutual TLS, Meta's client certificate required and checked against the configured CA alone. One implementation for
/// <c>wabahooks serve</c> and for library users (<c>UseHttpsWithMetaClientCertificate</c>).
/// </summary>
/// <remarks>
/// A per-connection callback rather than Kestrel's HTTPS options: those check a missing client certificate before any
/// callback of ours runs, so that refusal could be neither counted nor logged.
/// </remarks>
internal static class WebhookTls
{
    /// <param name="serverCertificate">The certificate with its chain for the next handshake; asked once per connection, so a renewal is picked up while open connections keep theirs.</param>
    /// <param name="client">Meta's client certificate check; null for TLS without a client certificate.</param>
    /// <param name="refusals">Where refused client certificates are counted and logged; asked at the first connection.</param>
    public static TlsHandshakeCallbackOptions Handshake(Func<SslStreamCertificateContext> serverCertificate, MetaClientCertificate? client, Func<ClientCertificateRefusals>? refusals) => new()
    {
        OnConnection = context =>
        {
            var ssl = new SslServerAuthenticationOptions
            {
                ServerCertificateContext = serverCertificate(),
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            };
            if (client is not null)
            {
                var remote = (context.Connection.RemoteEndPoint as IPEndPoint)?.Address.ToString() ?? "unknown";
                var refused = refusals!();
                ssl.ClientCertificateRequired = true;
                ssl.RemoteCertificateValidationCallback = (_, certificate, chain, _) => Accept(client, certificate as X509Certificate2, chain, remote, refused);
            }

            return ValueTask.FromResult(ssl);
        },
    };

    private static bool Accept(MetaClientCertificate client, X509Certificate2? certificate, X509Chain? chain, string remote, ClientCertificateRefusals refusals)
    {
        // What the client sent besides its own certificate: the platform puts it in the chain's extra store.
        var sent = chain is null ? [] : chain.ChainPolicy.ExtraStore.Cast<X509Certificate2>().Concat(chain.ChainElements.Select(e => e.Certificate).Skip(1)).ToList();
        var reason = client.Refusal(certificate, sent);
        if (reason is null)
        {
            return true;
        }

        refusals.Refused(ClientCertificateRefusals.KindOf(reason), reason, remote);
        return false;
    }
}
