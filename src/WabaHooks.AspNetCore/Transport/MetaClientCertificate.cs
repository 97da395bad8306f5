using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WabaHooks.AspNetCore.Transport;

/// <summary>
/// Decides whether a client certificate is Meta's: its chain ends at a CA of the configured file (that file alone is
/// trusted), it is valid now, it is for client authentication, and its subject CN is one of the accepted names.
/// </summary>
internal sealed class MetaClientCertificate
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private readonly X509Certificate2Collection _roots;
    private readonly X509Certificate2Collection _intermediates;
    private readonly HashSet<string> _subjectNames;
    private readonly bool _checkRevocation;
    private readonly TimeProvider _time;

    private MetaClientCertificate(X509Certificate2Collection roots, X509Certificate2Collection intermediates, IEnumerable<string> subjectNames, bool checkRevocation, TimeProvider time)
    {
        _roots = roots;
        _intermediates = intermediates;
        _subjectNames = new(subjectNames, StringComparer.OrdinalIgnoreCase);
        _checkRevocation = checkRevocation;
        _time = time;
    }

    /// <summary>Reads the CA file; null with the problem added when it cannot be used.</summary>
    /// <param name="options">The CA file, the accepted names, whether revocation is checked.</param>
    /// <param name="time">The clock the chains are checked against.</param>
    /// <param name="errors">Where the problems go.</param>
    /// <param name="caSetting">How the problems name the CA file setting to the reader (<c>--client-ca</c> for serve).</param>
    /// <param name="namesSetting">How the problems name the subject names setting.</param>
    public static MetaClientCertificate? Load(MetaClientCertificateOptions options, TimeProvider time, ICollection<string> errors, string caSetting, string namesSetting)
    {
        var file = options.CaFile!;
        var all = new X509Certificate2Collection();
        try
        {
            all.ImportFromPemFile(file);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            errors.Add($"{caSetting}: cannot read CA certificates from {Path.GetFullPath(file)} ({ex.Message}). Give the PEM file of Meta's outbound API CA, downloaded from Meta's webhooks docs.");
            return null;
        }

        // Self-signed certificates are the trust anchors; the others may complete a chain the client sends short.
        var roots = new X509Certificate2Collection();
        var intermediates = new X509Certificate2Collection();
        foreach (var certificate in all)
        {
            (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) ? roots : intermediates).Add(certificate);
        }

        if (roots.Count == 0)
        {
            errors.Add($"{caSetting}: {Path.GetFullPath(file)} holds no CA (self-signed) certificate. Give the PEM file of Meta's outbound API CA.");
            return null;
        }

        if (options.SubjectNames.Count == 0)
        {
            errors.Add($"{namesSetting} is empty: list the accepted common names (Meta's is {MetaClientCertificateOptions.MetaSubjectName}), or leave it out.");
            return null;
        }

        return new(roots, intermediates, options.SubjectNames, options.CheckRevocation, time);
    }

    /// <summary>Why <paramref name="certificate"/> is refused, or null when it is Meta's.</summary>
    /// <param name="certificate">The client's certificate; null when none was sent.</param>
    /// <param name="sent">The other certificates the client sent (its intermediate).</param>
    public string? Refusal(X509Certificate2? certificate, IEnumerable<X509Certificate2> sent)
    {
        if (certificate is null)
        {
            return "no client certificate";
        }

        var commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (!_subjectNames.Contains(commonName))
        {
            return $"subject CN '{commonName}' is not {string.Join(" or ", _subjectNames)}";
        }

        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(_roots);
        policy.ExtraStore.AddRange(_intermediates);
        foreach (var extra in sent)
        {
            policy.ExtraStore.Add(extra);
        }

        // Never fetch a missing intermediate from the address a stranger's certificate names (AIA): the handshake
        // would call out to wherever an attacker points it.
        policy.DisableCertificateDownloads = true;
        policy.RevocationMode = _checkRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck;
        policy.ApplicationPolicy.Add(ClientAuthentication);
        policy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        if (chain.Build(certificate))
        {
            return null;
        }

        var problems = chain.ChainStatus.Where(s => s.Status != X509ChainStatusFlags.NoError).Select(s => s.Status switch
        {
            X509ChainStatusFlags.NotTimeValid => "expired or not yet valid",
            X509ChainStatusFlags.UntrustedRoot => "not issued under the configured CA",
            X509ChainStatusFlags.PartialChain => "its chain does not reach the configured CA (intermediate missing or another CA)",
            X509ChainStatusFlags.NotValidForUsage => "not a client-authentication certificate",
            X509ChainStatusFlags.Revoked => "revoked",
            _ => s.Status.ToString(),
        }).Distinct();
        return "certificate " + string.Join(", ", problems);
    }
}
