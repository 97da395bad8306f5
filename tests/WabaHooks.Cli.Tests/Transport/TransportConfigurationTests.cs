using WabaHooks.Cli.Commands;
using WabaHooks.Cli.Tests.Support;
using WabaHooks.Testing;
using WabaHooks.Testing.Tls;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Transport;

public sealed class TransportConfigurationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<string> ServeFailsAsync(IDictionary<string, string> environment, params string[] args)
    {
        await using var serve = CliProcess.Start(["serve", "--data-dir", _dir.Combine("data"), "--verify-token", "t", "--app-secret", "s", .. args], _dir.Path, environment);
        Assert.Equal(ExitCodes.Configuration, await serve.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        return serve.StandardError;
    }

    [Fact]
    public async Task A_client_ca_on_plain_http_without_a_forwarded_header_stops_start_up()
    {
        var ca = _dir.Combine("ca.pem");
        TestPki.WriteCertificates(ca, TestPki.Root("CA"));

        var error = await ServeFailsAsync(new Dictionary<string, string>(), "--urls", "http://127.0.0.1:0", "--client-ca", ca);

        Assert.Contains("--client-ca asks for Meta's certificate at the TLS handshake, but --urls has no https:// address", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forwarded_header_without_known_proxies_and_an_unreadable_ca_are_both_reported()
    {
        var ca = _dir.Combine("not-a-ca.pem");
        File.WriteAllText(ca, "hello");

        var error = await ServeFailsAsync(
            new Dictionary<string, string> { ["WabaHooks__Serve__ClientCertificate__ForwardedHeader"] = "X-Client-Cert", ["WabaHooks__Serve__Limits__KeepAliveTimeout"] = "0" },
            "--urls", "http://127.0.0.1:0", "--client-ca", ca);

        Assert.Contains("holds no CA (self-signed) certificate", error, StringComparison.Ordinal);
        Assert.Contains("ForwardedHeader needs Serve:ClientCertificate:KnownProxies", error, StringComparison.Ordinal);
        Assert.Contains("Serve:Limits: RequestHeadersTimeout and KeepAliveTimeout must be positive", error, StringComparison.Ordinal);
    }
}
