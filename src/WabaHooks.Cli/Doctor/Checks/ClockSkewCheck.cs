using System.Globalization;

namespace WabaHooks.Cli.Doctor.Checks;

/// <summary>
/// This host's clock against the Graph API's <c>Date</c> header. A wrong clock breaks what is judged by time: the
/// Standard Webhooks timestamp a destination checks (receivers reject beyond a few minutes), certificate validity,
/// and the watchdog's silence warnings.
/// </summary>
internal sealed class ClockSkewCheck : IDoctorCheck
{
    public const string Name = "clock skew";

    /// <summary>More than this apart fails; the Date header is whole seconds, so a few are noise.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(30);

    string IDoctorCheck.Name => Name;

    public async Task<IReadOnlyList<Finding>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var url = context.Graph.BaseUrl;
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = context.RequestTimeout };
        var sent = context.Time.GetUtcNow();
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            return [Finding.Fail(Name, $"cannot reach the Graph API at {url}: {ex.Message}", "Check this host's outbound HTTPS access (DNS, proxy, firewall); subscribe and the watchdog need it too.")];
        }

        using (response)
        {
            var received = context.Time.GetUtcNow();
            if (response.Headers.Date is not { } date)
            {
                return [Finding.Fail(Name, $"{url} answered without a Date header.", "Point --graph-url at the Graph API (or a proxy that keeps its headers).")];
            }

            // The server stamped its Date somewhere between sending and receiving: compare with the middle.
            var local = sent + ((received - sent) / 2);
            var skew = local - date;
            var seconds = Math.Abs(skew.TotalSeconds).ToString("0", CultureInfo.InvariantCulture);
            var direction = skew > TimeSpan.Zero ? "ahead of" : "behind";
            return Math.Abs(skew.TotalSeconds) <= Tolerance.TotalSeconds
                ? [Finding.Pass(Name, $"within {seconds} s of the Graph API's clock.")]
                : [Finding.Fail(Name, $"this host's clock is {seconds} s {direction} the Graph API's.", "Synchronise it: timedatectl set-ntp true (systemd-timesyncd), or run chrony.")];
        }
    }
}
