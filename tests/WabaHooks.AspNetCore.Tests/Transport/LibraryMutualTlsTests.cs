using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using WabaHooks.AspNetCore.Transport;
using WabaHooks.Testing;
using WabaHooks.Testing.Tls;

namespace WabaHooks.AspNetCore.Tests.Transport;

/// <summary>
/// An application that hosts <c>MapWabaHooks</c> itself and asks for Meta's client certificate with the public API:
/// <c>UseWabaHooksLimits</c> on Kestrel and <c>UseHttpsWithMetaClientCertificate</c> on its https endpoint, on real
/// Kestrel at 127.0.0.1, with a chain the test made (root → intermediate → client).
/// </summary>
public sealed class LibraryMutualTlsTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root = TestPki.Root("Library Test Meta CA");
    private readonly X509Certificate2 _intermediate;
    private readonly X509Certificate2 _server = TestPki.Server("library-mtls-server");
    private TestGateway? _gateway;
    private Uri _callback = null!;

    public LibraryMutualTlsTests() => _intermediate = TestPki.Intermediate(_root, "Library Test Meta Intermediate");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var ca = _dir.Combine("meta-ca.pem");
        TestPki.WriteCertificates(ca, _root);
        _gateway = await TestGateway.StartAsync(_dir.Combine("data"), kestrel: kestrel =>
        {
            kestrel.UseWabaHooksLimits();
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttpsWithMetaClientCertificate(_server, o => o.CaFile = ca));
        });
        _callback = new Uri(_gateway.Address, "/webhook");
    }

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task Metas_certificate_with_its_intermediate_gets_200()
    {
        Assert.Equal(HttpStatusCode.OK, await PostWith(TestPki.Client(_intermediate), _intermediate));
    }

    [Fact]
    public async Task A_certificate_with_another_common_name_is_refused_at_the_handshake_and_logged()
    {
        await Assert.ThrowsAsync<HttpRequestException>(() => PostWith(TestPki.Client(_intermediate, "client.example.com"), _intermediate));
        await Await.UntilAsync(
            () => _gateway!.Logs.Lines.Any(l => l.Contains("Client certificate refused from 127.0.0.1: subject CN 'client.example.com'", StringComparison.Ordinal)),
            "the refusal logged");
    }

    [Fact]
    public async Task A_certificate_under_another_root_is_refused_at_the_handshake()
    {
        var otherIntermediate = TestPki.Intermediate(TestPki.Root("Some Other CA"), "Some Other Intermediate");
        await Assert.ThrowsAsync<HttpRequestException>(() => PostWith(TestPki.Client(otherIntermediate), otherIntermediate));
    }

    [Fact]
    public async Task A_connection_without_a_client_certificate_is_refused_at_the_handshake()
    {
        await Assert.ThrowsAsync<HttpRequestException>(() => PostWith(null));
    }

    [Fact]
    public async Task A_CA_file_that_holds_no_CA_stops_start_up_saying_so()
    {
        var notCa = _dir.Combine("not-a-ca.pem");
        TestPki.WriteCertificates(notCa, _intermediate);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestGateway.StartAsync(_dir.Combine("other-data"), kestrel: kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttpsWithMetaClientCertificate(_server, o => o.CaFile = notCa))));

        Assert.Contains("MetaClientCertificateOptions.CaFile", error.Message, StringComparison.Ordinal);
        Assert.Contains("holds no CA (self-signed) certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_webhook_limits_are_set_on_kestrel()
    {
        var kestrel = new KestrelServerOptions().UseWabaHooksLimits(new WebhookListenerLimits { MaxConcurrentConnections = 0, KeepAliveTimeout = TimeSpan.FromSeconds(7) });

        Assert.Null(kestrel.Limits.MaxConcurrentConnections);
        Assert.Equal(0, kestrel.Limits.MaxConcurrentUpgradedConnections);
        Assert.Equal(TimeSpan.FromSeconds(7), kestrel.Limits.KeepAliveTimeout);
        Assert.Equal(4096, kestrel.Limits.MaxRequestLineSize);
        Assert.Equal(50, kestrel.Limits.MaxRequestHeaderCount);
        Assert.Equal(1024, kestrel.Limits.MinRequestBodyDataRate!.BytesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(5), kestrel.Limits.MinRequestBodyDataRate.GracePeriod);
    }

    private async Task<HttpStatusCode> PostWith(X509Certificate2? certificate, params X509Certificate2[] sent)
    {
        using var client = TestPki.HttpClient(s => s?.Thumbprint == _server.Thumbprint, certificate, sent);
        using var response = await client.SendAsync(TestPki.SignedPost(_callback, ExamplePayloads.Read("messages-text.json"), TestGateway.SecretA), Ct);
        return response.StatusCode;
    }
}
