using System.Security.Cryptography.X509Certificates;
using WabaHooks.Cli.Tests.Support;
using WabaHooks.Testing;
using WabaHooks.Testing.Tls;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Transport;

/// <summary>
/// A real <c>serve</c> on https://127.0.0.1 that requires Meta's client certificate (<c>--client-ca</c> with a CA the
/// test made), and the certificates to knock with: Meta's chain, and each way a certificate can be wrong.
/// </summary>
public sealed class MutualTlsGateway : IAsyncLifetime
{
    public const string AppSecret = "mtls-app-secret-0123456789abcdef";

    private readonly TempDirectory _dir = new();
    private CliProcess? _serve;

    public MutualTlsGateway()
    {
        Root = TestPki.Root("Test Meta Outbound API CA");
        Intermediate = TestPki.Intermediate(Root, "Test Meta Outbound Intermediate");
        MetaClient = TestPki.Client(Intermediate);
        WrongName = TestPki.Client(Intermediate, "client.example.com");
        Expired = TestPki.Client(Intermediate, expired: true);
        var otherRoot = TestPki.Root("Some Other CA");
        OtherIntermediate = TestPki.Intermediate(otherRoot, "Some Other Intermediate");
        FromOtherRoot = TestPki.Client(OtherIntermediate);
        Server = TestPki.Server("mtls-test-server");
    }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Intermediate { get; }

    public X509Certificate2 MetaClient { get; }

    public X509Certificate2 WrongName { get; }

    public X509Certificate2 Expired { get; }

    public X509Certificate2 OtherIntermediate { get; }

    public X509Certificate2 FromOtherRoot { get; }

    public X509Certificate2 Server { get; }

    public CliProcess Serve => _serve!;

    public Uri CallbackUrl { get; private set; } = null!;

    public HttpClient ClientWith(X509Certificate2? certificate, params X509Certificate2[] sent) =>
        TestPki.HttpClient(s => s?.Thumbprint == Server.Thumbprint, certificate, sent);

    public async ValueTask InitializeAsync()
    {
        var ca = _dir.Combine("meta-ca.pem");
        var cert = _dir.Combine("server.pem");
        var key = _dir.Combine("server.key");
        // The CA file holds the root alone, as Meta's download does: the intermediate must come from the client.
        TestPki.WriteCertificates(ca, Root);
        TestPki.WriteCertificates(cert, Server);
        TestPki.WriteKey(key, Server);
        (_serve, CallbackUrl) = await CliProcess.StartServeAsync(
            ["--urls", "https://127.0.0.1:0", "--https-cert", cert, "--https-key", key, "--client-ca", ca,
             "--data-dir", _dir.Combine("data"), "--verify-token", "mtls-token", "--app-secret", AppSecret], _dir.Path);
    }

    public async ValueTask DisposeAsync()
    {
        if (_serve is not null)
        {
            await _serve.DisposeAsync();
        }

        _dir.Dispose();
    }
}
