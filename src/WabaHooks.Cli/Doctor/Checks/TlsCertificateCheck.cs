using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace WabaHooks.Cli.Doctor.Checks;

/// <summary>
/// The certificate an https callback URL presents: trusted for its host name (Meta refuses self-signed and mismatched
/// certificates), and valid for more than <see cref="MinimumDaysLeft"/> days, so a failed renewal is found before Meta
/// stops delivering.
/// </summary>
internal sealed class TlsCertificateCheck : IDoctorCheck
{
    public const string Trust = "TLS certificate trusted";
    public const string Expiry = "TLS certificate expiry";
    public const int MinimumDaysLeft = 14;

    public string Name => Expiry;

    public async Task<IReadOnlyList<Finding>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var url = context.CallbackUrl;
        if (url.Scheme != Uri.UriSchemeHttps)
        {
            return [Finding.Skip(Expiry, $"{url} is http: TLS ends before it (a reverse proxy, a load balancer).", "Give --url with the public https callback URL to check the certificate Meta sees.")];
        }

        X509Certificate2? presented = null;
        var errors = SslPolicyErrors.None;
        X509ChainStatusFlags chainStatus = X509ChainStatusFlags.NoError;
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(url.DnsSafeHost, url.Port, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            return [Finding.Fail(Expiry, $"cannot connect to {url.Authority}: {ex.Message}", "Make sure serve (or the reverse proxy) listens there and a firewall lets this host through.")];
        }

        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        await using (ssl.ConfigureAwait(false))
        {
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = url.IdnHost,
                // Accept whatever is presented, to judge it here with a reason rather than fail the handshake without one.
                RemoteCertificateValidationCallback = (_, certificate, chain, policyErrors) =>
                {
                    presented = certificate is null ? null : new X509Certificate2(certificate);
                    errors = policyErrors;
                    chainStatus = chain?.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status) ?? X509ChainStatusFlags.NoError;
                    return true;
                },
            };
            try
            {
                await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            }
            catch (AuthenticationException ex) when (presented is null)
            {
                return [Finding.Fail(Expiry, $"no TLS handshake with {url.Authority}: {ex.Message}", "Check that this address serves TLS (serve --https-cert/--https-key, or the reverse proxy's certificate).")];
            }
        }

        using var certificate = presented;
        if (certificate is null)
        {
            return [Finding.Fail(Expiry, $"{url.Authority} presented no certificate.", "Configure a certificate for this host name.")];
        }

        return [JudgeTrust(certificate, errors, chainStatus, url), JudgeExpiry(certificate, context.Time.GetUtcNow())];
    }

    private static Finding JudgeTrust(X509Certificate2 certificate, SslPolicyErrors errors, X509ChainStatusFlags chain, Uri url)
    {
        if (errors == SslPolicyErrors.None)
        {
            return Finding.Pass(Trust, $"issued to {certificate.GetNameInfo(X509NameType.DnsName, false)} by {certificate.GetNameInfo(X509NameType.SimpleName, true)}.");
        }

        var reasons = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            reasons.Add($"it is not issued for {url.IdnHost}");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            reasons.Add($"its chain is not trusted ({chain})");
        }

        return Finding.Fail(
            Trust,
            $"{string.Join(" and ", reasons)}; Meta refuses such certificates (self-signed ones included), so it delivers nothing.",
            "Use a certificate from a public CA for this host name, with the full chain (Let's Encrypt's fullchain.pem).");
    }

    private static Finding JudgeExpiry(X509Certificate2 certificate, DateTimeOffset now)
    {
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var left = notAfter - now;
        var until = notAfter.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var days = Math.Floor(left.TotalDays).ToString(CultureInfo.InvariantCulture);
        if (left <= TimeSpan.Zero)
        {
            return Finding.Fail(Expiry, $"expired on {until}: Meta's calls fail their TLS handshake.", "Renew the certificate now and reload serve (or the reverse proxy).");
        }

        return left.TotalDays > MinimumDaysLeft
            ? Finding.Pass(Expiry, $"valid until {until} ({days} days).")
            : Finding.Fail(Expiry, $"expires in {days} days ({until}), within {MinimumDaysLeft.ToString(CultureInfo.InvariantCulture)} days.", "Renew it (certbot renew, or your CA) and reload serve or the reverse proxy; check that automatic renewal runs.");
    }
}
