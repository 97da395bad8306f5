using System.Net;
using System.Security.Cryptography.X509Certificates;
using WabaHooks.Cli.Tests.Support;
using WabaHooks.Testing;
using WabaHooks.Testing.Tls;

namespace WabaHooks.Cli.Tests.Transport;

public sealed class MutualTlsTests(MutualTlsGateway gateway) : IClassFixture<MutualTlsGateway>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TimeSpan LogBound = TimeSpan.FromSeconds(10);

    private async Task<HttpStatusCode> PostWith(X509Certificate2? certificate, params X509Certificate2[] sent)
    {
        using var client = gateway.ClientWith(certificate, sent);
        using var response = await client.SendAsync(TestPki.SignedPost(gateway.CallbackUrl, ExamplePayloads.Read("messages-text.json"), MutualTlsGateway.AppSecret), Ct);
        return response.StatusCode;
    }

    private async Task RefusedAtHandshake(string reason, X509Certificate2? certificate, params X509Certificate2[] sent)
    {
        await Assert.ThrowsAsync<HttpRequestException>(() => PostWith(certificate, sent));
        await gateway.Serve.WaitForOutputAsync($"Client certificate refused from 127.0.0.1: {reason}", LogBound);
    }

    [Fact]
    public async Task Metas_certificate_with_its_intermediate_gets_200()
    {
        Assert.Equal(HttpStatusCode.OK, await PostWith(gateway.MetaClient, gateway.Intermediate));
    }

    [Fact]
    public async Task A_certificate_with_another_common_name_is_refused_at_the_handshake()
    {
        await RefusedAtHandshake("subject CN 'client.example.com'", gateway.WrongName, gateway.Intermediate);
    }

    [Fact]
    public async Task A_certificate_under_another_root_is_refused_at_the_handshake()
    {
        await RefusedAtHandshake("certificate ", gateway.FromOtherRoot, gateway.OtherIntermediate);
    }

    [Fact]
    public async Task An_expired_certificate_is_refused_at_the_handshake()
    {
        await RefusedAtHandshake("certificate expired", gateway.Expired, gateway.Intermediate);
    }

    [Fact]
    public async Task A_connection_without_a_client_certificate_is_refused_at_the_handshake()
    {
        await RefusedAtHandshake("no client certificate", null);
    }

    [Fact]
    public async Task Metas_certificate_without_its_intermediate_is_refused_at_the_handshake()
    {
        await RefusedAtHandshake("certificate its chain does not reach the configured CA", gateway.MetaClient);
    }
}
