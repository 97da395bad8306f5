using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace WabaHooks.Cli.Serving.Transport;

/// <summary>
/// The server certificate from a PEM pair (full chain and key), read again when either file changes (a certbot or
/// cert-manager renewal), so new connections get the new certificate while open ones keep theirs.
/// </summary>
/// <remarks>
/// A reload that fails — the key written before the chain, a half-written file — keeps the current certificate and is
/// tried again on the next change; renewals write both files, so the pair settles within a moment.
/// </remarks>
internal sealed partial class ServerCertificateSource : IDisposable
{
    private readonly string _certificateFile;
    private readonly string _keyFile;
    private readonly List<PhysicalFileProvider> _providers = [];
    private readonly List<IDisposable> _watches = [];
    private ILogger? _logger;
    private volatile SslStreamCertificateContext _current;

    private ServerCertificateSource(string certificateFile, string keyFile, SslStreamCertificateContext current)
    {
        _certificateFile = Path.GetFullPath(certificateFile);
        _keyFile = Path.GetFullPath(keyFile);
        _current = current;
    }

    /// <summary>The certificate, with the chain from the same file, for the next handshake.</summary>
    public SslStreamCertificateContext Current => _current;

    /// <summary>Reads the pair; throws what <see cref="X509Certificate2.CreateFromPemFile"/> throws.</summary>
    public static ServerCertificateSource Load(string certificateFile, string keyFile) =>
        new(certificateFile, keyFile, Read(certificateFile, keyFile));

    /// <summary>Starts watching both files.</summary>
    public void Watch(ILogger logger)
    {
        _logger = logger;
        foreach (var file in new[] { _certificateFile, _keyFile }.Distinct(StringComparer.Ordinal))
        {
            // The folder is watched, not the file: renewals replace files (and certbot's symlinks) rather than write in place.
            var provider = new PhysicalFileProvider(Path.GetDirectoryName(file)!, Microsoft.Extensions.FileProviders.Physical.ExclusionFilters.None);
            var name = Path.GetFileName(file);
            _providers.Add(provider);
            _watches.Add(ChangeToken.OnChange(() => provider.Watch(name), Reload));
        }
    }

    /// <summary>Reads the pair again now; the current certificate stays when that fails.</summary>
    public void Reload()
    {
        try
        {
            var next = Read(_certificateFile, _keyFile);
            _current = next;
            if (_logger is not null)
            {
                LogReloaded(_logger, next.TargetCertificate.Subject, next.TargetCertificate.NotAfter.ToUniversalTime());
            }
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            if (_logger is not null)
            {
                LogReloadFailed(_logger, _certificateFile, _keyFile, ex.Message);
            }
        }
    }

    public void Dispose()
    {
        foreach (var watch in _watches)
        {
            watch.Dispose();
        }

        foreach (var provider in _providers)
        {
            provider.Dispose();
        }
    }

    private static SslStreamCertificateContext Read(string certificateFile, string keyFile)
    {
        using var leaf = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(certificateFile);
        // The key is carried over into a certificate SslStream can use on every platform (PKCS#12 round trip), and the
        // rest of the file is sent as the chain; offline: the chain is what the file says, nothing is fetched.
        var usable = X509CertificateLoader.LoadPkcs12(leaf.Export(X509ContentType.Pkcs12), null);
        var intermediates = new X509Certificate2Collection();
        foreach (var certificate in chain)
        {
            if (!certificate.RawDataMemory.Span.SequenceEqual(usable.RawDataMemory.Span))
            {
                intermediates.Add(certificate);
            }
        }

        return SslStreamCertificateContext.Create(usable, intermediates, offline: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Server certificate reloaded: {Subject}, valid until {NotAfter:u}")]
    private static partial void LogReloaded(ILogger logger, string subject, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Server certificate not reloaded from {CertificateFile} and {KeyFile} ({Problem}); the current one is kept until the files change again")]
    private static partial void LogReloadFailed(ILogger logger, string certificateFile, string keyFile, string problem);
}
