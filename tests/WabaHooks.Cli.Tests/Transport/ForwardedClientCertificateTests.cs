using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using WabaHooks.Cli.Tests.Support;
using WabaHooks.Testing;
using WabaHooks.Testing.Tls;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Transport;

/// <summary>
/// serve behind a proxy that terminates TLS (nginx with <c>proxy_set_header X-Client-Cert $ssl_client_escaped_cert</c>):
/// the certificate comes in a header, trusted only from the proxy's address (127.0.0.2 here; the test itself is 127.0.0.1).
/// </summary>
public sealed class ForwardedClientCertificateTests : IAsyncLifetime
{
    private const string Secret = "proxy-app-secret-0123456789abcdef";
    private const string Header = "X-Client-Cert";
    private static readonly IPAddress Proxy = IPAddress.Parse("127.0.0.2");

    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root = TestPki.Root("Test Meta Outbound API CA");
    private readonly X509Certificate2 _intermediate;
    private CliProcess _serve = null!;
    private Uri _callback = null!;

    public ForwardedClientCertificateTests()
    {
        _intermediate = TestPki.Intermediate(_root, "Test Meta Outbound Intermediate");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        // nginx forwards the client's certificate alone, so the CA file carries the intermediate beside the root.
        var ca = _dir.Combine("meta-ca.pem");
        TestPki.WriteCertificates(ca, _root, _intermediate);
        var config = _dir.Combine("wabahooks.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            WabaHooks = new
            {
                Serve = new { ClientCertificate = new { CaFile = ca, ForwardedHeader = Header, KnownProxies = new[] { Proxy.ToString() } } },
            },
        }), Ct);
        (_serve, _callback) = await CliProcess.StartServeAsync(
            ["--config", config, "--urls", "http://127.0.0.1:0", "--data-dir", _dir.Combine("data"), "--verify-token", "proxy-token", "--app-secret", Secret], _dir.Path);
    }

    public async ValueTask DisposeAsync()
    {
        await _serve.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<HttpStatusCode> PostFrom(IPAddress local, string? header)
    {
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(context.DnsEndPoint, token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(20) };
        using var request = TestPki.SignedPost(_callback, ExamplePayloads.Read("messages-text.json"), Secret);
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation(Header, header);
        }

        using var response = await client.SendAsync(request, Ct);
        return response.StatusCode;
    }

    /// <summary>As nginx's <c>$ssl_client_escaped_cert</c>: the PEM, URL-escaped.</summary>
    private static string Escaped(X509Certificate2 certificate) => Uri.EscapeDataString(certificate.ExportCertificatePem());

    [Fact]
    public async Task Metas_certificate_forwarded_by_the_known_proxy_gets_200()
    {
        Assert.Equal(HttpStatusCode.OK, await PostFrom(Proxy, Escaped(TestPki.Client(_intermediate))));
    }

    [Fact]
    public async Task The_same_header_from_an_address_that_is_not_a_known_proxy_is_403()
    {
        Assert.Equal(HttpStatusCode.Forbidden, await PostFrom(IPAddress.Loopback, Escaped(TestPki.Client(_intermediate))));
        await _serve.WaitForOutputAsync("Client certificate refused from 127.0.0.1: not from a configured proxy", Await.Bound);
    }

    [Fact]
    public async Task Wrong_name_other_root_expired_missing_or_garbled_certificates_from_the_proxy_are_403()
    {
        var otherIntermediate = TestPki.Intermediate(TestPki.Root("Some Other CA"), "Some Other Intermediate");
        Assert.Equal(HttpStatusCode.Forbidden, await PostFrom(Proxy, Escaped(TestPki.Client(_intermediate, "client.example.com"))));
        Assert.Equal(HttpStatusCode.Forbidden, await PostFrom(Proxy, Escaped(TestPki.Client(otherIntermediate))));
        Assert.Equal(HttpStatusCode.Forbidden, await PostFrom(Proxy, Escaped(TestPki.Client(_intermediate, expired: true))));
        Assert.Equal(HttpStatusCode.Forbidden, await PostFrom(Proxy, null));
        Assert.Equal(HttpStatusCode.Forbidden, await PostFrom(Proxy, "not%20a%20certificate"));

        foreach (var reason in new[] { "subject CN 'client.example.com'", "certificate expired", "no client certificate" })
        {
            await _serve.WaitForOutputAsync($"Client certificate refused from 127.0.0.2: {reason}", Await.Bound);
        }
    }
}
