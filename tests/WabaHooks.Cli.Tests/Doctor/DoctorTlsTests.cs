using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WabaHooks.Testing;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Doctor;

/// <summary>serve on https with a certificate made here, and the doctor judging it as Meta would.</summary>
public sealed class DoctorTlsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task A_certificate_expiring_within_14_days_fails_the_expiry_check_and_a_self_signed_one_the_trust_check()
    {
        await using var serve = await ServeHttpsAsync(TimeSpan.FromDays(10));

        var run = await DoctorRun.RunAsync("--data-dir", _dir.Combine("data"), "--url", serve.Url.ToString(), "--graph-url", "http://127.0.0.1:9");

        Assert.Equal(1, run.ExitCode);
        var expiry = run["TLS certificate expiry"];
        Assert.Equal("fail", expiry.Verdict);
        Assert.Matches(@"^expires in (9|10) days \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\), within 14 days\.$", expiry.Detail);
        Assert.Contains("Renew it", expiry.Fix, StringComparison.Ordinal);
        var trust = run["TLS certificate trusted"];
        Assert.Equal("fail", trust.Verdict);
        Assert.Contains("not trusted", trust.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_valid_for_months_passes_the_expiry_check()
    {
        await using var serve = await ServeHttpsAsync(TimeSpan.FromDays(90));

        var run = await DoctorRun.RunAsync("--data-dir", _dir.Combine("data"), "--url", serve.Url.ToString(), "--graph-url", "http://127.0.0.1:9");

        var expiry = run["TLS certificate expiry"];
        Assert.Equal("pass", expiry.Verdict);
        Assert.Matches(@"^valid until \d{4}-\d\d-\d\d \d\d:\d\d UTC \((89|90) days\)\.$", expiry.Detail);
    }

    private async Task<HttpsServe> ServeHttpsAsync(TimeSpan validFor)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = TimeProvider.System.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now + validFor);
        var certFile = _dir.Combine("cert.pem");
        var keyFile = _dir.Combine("key.pem");
        await File.WriteAllTextAsync(certFile, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());

        var (process, url) = await CliProcess.StartServeAsync(
            ["--data-dir", _dir.Combine("data"), "--urls", "https://127.0.0.1:0", "--https-cert", certFile, "--https-key", keyFile, "--verify-token", "tls-token", "--app-secret", "1234567890:0123456789abcdef"],
            _dir.Path);
        return new HttpsServe(process, url);
    }

    public void Dispose() => _dir.Dispose();

    private sealed record HttpsServe(CliProcess Process, Uri Url) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }
}
