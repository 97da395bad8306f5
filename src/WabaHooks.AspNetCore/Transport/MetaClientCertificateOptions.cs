namespace WabaHooks.AspNetCore.Transport;

/// <summary>
/// Mutual TLS with Meta: the client certificate Meta presents on its webhook calls, required at the TLS handshake with
/// <c>ListenOptions.UseHttpsWithMetaClientCertificate</c>.
/// </summary>
public class MetaClientCertificateOptions
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
}
