using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WabaHooks.Cli.Configuration;

/// <summary>
/// What <c>serve</c> checks about this machine before it starts, beside the settings' own validation: the addresses
/// parse and are free, the callback path is a path, the certificate loads, the data directory is writable.
/// </summary>
internal static class ServeChecks
{
    /// <param name="serve">serve's settings.</param>
    /// <param name="errors">Receives every problem.</param>
    /// <param name="checkPortsFree">Whether a port in use is a problem: not for doctor, which checks a serve that holds them.</param>
    public static IReadOnlyList<Uri> Urls(ServeOptions serve, ICollection<string> errors, bool checkPortsFree = true)
    {
        var urls = new List<Uri>();
        var errorsBefore = errors.Count;
        foreach (var part in serve.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Kestrel's wildcard hosts are not valid URI hosts; check the rest of the address with a stand-in.
            var candidate = part.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(candidate, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
            {
                errors.Add($"--urls '{part}': each address must be http://HOST:PORT or https://HOST:PORT, separated by ';' (default {ServeOptions.DefaultUrls}).");
                continue;
            }

            urls.Add(uri);
        }

        if (urls.Count == 0 && errors.Count == errorsBefore)
        {
            errors.Add($"--urls is empty: give at least one address, e.g. {ServeOptions.DefaultUrls}.");
        }

        if (checkPortsFree)
        {
            CheckPortsFree(urls, errors);
        }

        return urls;
    }

    public static void Path(ServeOptions serve, ICollection<string> errors)
    {
        var path = serve.Path;
        if (!path.StartsWith('/') || path.Contains('?', StringComparison.Ordinal) || path.Contains('#', StringComparison.Ordinal))
        {
            errors.Add($"--path '{path}': the callback path must start with '/' and hold no query or fragment, e.g. /webhook.");
        }
    }

    /// <summary>The certificate for https:// addresses, or null (with the problem added when one was wanted).</summary>
    public static X509Certificate2? Certificate(ServeOptions serve, IReadOnlyList<Uri> urls, ICollection<string> errors)
    {
        var wantsHttps = urls.Any(u => u.Scheme == Uri.UriSchemeHttps);
        var (cert, key) = (Blank(serve.HttpsCertificate), Blank(serve.HttpsKey));
        if ((cert is null) != (key is null))
        {
            errors.Add("--https-cert and --https-key go together: give both PEM files (the certificate chain and its private key), or neither.");
            return null;
        }

        if (cert is null || key is null)
        {
            if (wantsHttps)
            {
                errors.Add("--urls has an https:// address but no certificate: give --https-cert and --https-key (PEM), or terminate TLS at a reverse proxy and listen on http://127.0.0.1.");
            }

            return null;
        }

        if (!wantsHttps)
        {
            errors.Add("--https-cert is given but --urls has no https:// address: add one, e.g. --urls https://0.0.0.0:443.");
        }

        foreach (var (option, file) in new[] { ("--https-cert", cert), ("--https-key", key) })
        {
            if (!File.Exists(file))
            {
                errors.Add($"{option}: the file {System.IO.Path.GetFullPath(file)} does not exist or cannot be read.");
                return null;
            }
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(cert, key);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            errors.Add($"--https-cert/--https-key: cannot load a certificate and private key from {cert} and {key} ({ex.Message}). Give a PEM certificate (full chain) and its PEM private key.");
            return null;
        }
    }

    public static void DataDir(string dataDir, ICollection<string> errors)
    {
        var full = System.IO.Path.GetFullPath(dataDir);
        try
        {
            Directory.CreateDirectory(full);
            var probe = System.IO.Path.Combine(full, $".write-probe-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            errors.Add($"--data-dir {full} is not a writable folder ({ex.Message}). Choose a folder this user can create and write, e.g. --data-dir ./wabahooks-data.");
        }
    }

    internal static void CheckPortsFree(IReadOnlyList<Uri> urls, ICollection<string> errors, string option = "--urls")
    {
        foreach (var url in urls)
        {
            if (url.Port == 0 || Address(url.Host) is not { } address)
            {
                continue;
            }

            try
            {
                using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                probe.Bind(new IPEndPoint(address, url.Port));
                probe.Listen();
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                errors.Add($"{option} {url.GetLeftPart(UriPartial.Authority)}: port {url.Port} is already in use. Stop the program that holds it, or choose another port.");
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressNotAvailable or SocketError.AccessDenied)
            {
                errors.Add($"{option} {url.GetLeftPart(UriPartial.Authority)}: cannot listen there ({ex.Message}). Use an address of this machine, e.g. 127.0.0.1 or 0.0.0.0.");
            }
        }
    }

    private static IPAddress? Address(string host) => host switch
    {
        "localhost" => IPAddress.Loopback,
        "0.0.0.0" => IPAddress.Any,
        _ when IPAddress.TryParse(host.Trim('[', ']'), out var ip) => ip,
        _ => null,
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
