using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using WabaHooks.Hosting.Diagnostics;

namespace WabaHooks.AspNetCore.Transport;

/// <summary>
/// Counts every refused client certificate (<c>wabahooks.client_certificates.refused</c>, by reason) and logs each
/// (reason, address) once per interval, so a scanner's handshakes do not grow the log.
/// </summary>
internal sealed partial class ClientCertificateRefusals : IDisposable
{
    public const string ReasonTag = "wabahooks.client_certificate.refusal";

    /// <summary>The category of the refusal lines.</summary>
    public const string LoggerName = "WabaHooks.Transport";

    private readonly ILogger _logger;
    private readonly RepeatedFailureLog _log;
    private readonly Counter<long> _refused;

    public ClientCertificateRefusals(WabaHooksMetrics metrics, ILogger logger, TimeProvider time)
    {
        _logger = logger;
        _log = new(logger, time);
        _refused = metrics.Meter.CreateCounter<long>(
            "wabahooks.client_certificates.refused", "{connection}", "Client certificates refused at the TLS handshake (or forwarded by a proxy and refused with 403), by reason.");
    }

    /// <summary>Records one refusal.</summary>
    /// <param name="kind">The reason's kind, a short fixed word for the metric: missing, subject, chain, proxy.</param>
    /// <param name="reason">The reason in words, for the log.</param>
    /// <param name="remote">The client's address.</param>
    public void Refused(string kind, string reason, string remote)
    {
        _refused.Add(1, new KeyValuePair<string, object?>(ReasonTag, kind));
        if (_log.ShouldLog(string.Create(CultureInfo.InvariantCulture, $"Client certificate refused from {remote}: {reason}"), LogLevel.Warning))
        {
            LogRefused(_logger, remote, reason);
        }
    }

    public void Dispose() => _log.Dispose();

    /// <summary>The metric's short kind of a reason from <see cref="MetaClientCertificate.Refusal"/>.</summary>
    public static string KindOf(string reason) =>
        reason.StartsWith("no client", StringComparison.Ordinal) ? "missing"
        : reason.StartsWith("subject", StringComparison.Ordinal) ? "subject"
        : "chain";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client certificate refused from {RemoteAddress}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string remoteAddress, string reason);
}
