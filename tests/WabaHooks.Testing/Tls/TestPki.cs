using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WabaHooks.Signatures;

namespace WabaHooks.Testing.Tls;

/// <summary>
/// Certificates made by the tests with <see cref="CertificateRequest"/>: a CA, intermediates, client and server
/// certificates, as Meta's chain is built (root → intermediate → client.webhooks.fbclientcerts.com).
/// </summary>
public static class TestPki
{
    public const string MetaCommonName = "client.webhooks.fbclientcerts.com";
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");

    public static X509Certificate2 Root(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return Usable(request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-365), DateTimeOffset.UtcNow.AddYears(5)));
    }

    public static X509Certificate2 Intermediate(X509Certificate2 issuer, string name) =>
        Issue(issuer, name, ca: true, null, DateTimeOffset.UtcNow.AddDays(-300), DateTimeOffset.UtcNow.AddYears(2));

    public static X509Certificate2 Client(X509Certificate2 issuer, string commonName = MetaCommonName, bool expired = false) =>
        expired
            ? Issue(issuer, commonName, ca: false, ClientAuth, DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1))
            : Issue(issuer, commonName, ca: false, ClientAuth, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90));

    /// <summary>A self-signed server certificate for 127.0.0.1, named <paramref name="name"/> so a test can tell two apart.</summary>
    public static X509Certificate2 Server(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth], false));
        return Usable(request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30)));
    }

    public static void WriteCertificates(string path, params X509Certificate2[] certificates) =>
        File.WriteAllText(path, string.Concat(certificates.Select(c => c.ExportCertificatePem() + "\n")));

    public static void WriteKey(string path, X509Certificate2 certificate) =>
        File.WriteAllText(path, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

    /// <summary>
    /// A client that trusts only <paramref name="server"/>'s certificate, presents <paramref name="client"/> with
    /// <paramref name="sent"/> beside it (or nothing), and opens a new connection per request.
    /// </summary>
    public static HttpClient HttpClient(Func<X509Certificate2?, bool> trustServer, X509Certificate2? client, params X509Certificate2[] sent)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.Zero,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => trustServer(certificate as X509Certificate2),
                ClientCertificateContext = client is null ? null : SslStreamCertificateContext.Create(client, [.. sent], offline: true),
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(20) };
    }

    public static HttpRequestMessage SignedPost(Uri url, byte[] body, string secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, secret));
        return request;
    }

    private static X509Certificate2 Issue(X509Certificate2 issuer, string name, bool ca, Oid? usage, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(ca, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(ca ? X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign : X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        if (usage is not null)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        }

        // The issuer's validity bounds the child's: an expired leaf under a live CA is what the test wants.
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var issued = request.Create(issuer, notBefore, notAfter < issuer.NotAfter ? notAfter : issuer.NotAfter.AddMinutes(-1), serial);
        return Usable(issued.CopyWithPrivateKey(key));
    }

    // Through PKCS#12, so the private key outlives the ephemeral ECDsa object on every platform.
    private static X509Certificate2 Usable(X509Certificate2 certificate)
    {
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
    }
}
