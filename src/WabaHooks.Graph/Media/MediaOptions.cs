using System.Globalization;
using WabaHooks.Media;

namespace WabaHooks.Graph.Media;

/// <summary>
/// Media kept on arrival (<c>Media</c> section): for each inbound image, audio, video, document or sticker message,
/// the gateway asks the Graph API where the media is, downloads it with the access token, checks the SHA-256 Meta sent
/// and keeps it in a directory. It runs after the 200, as its own sinks (<c>media:image</c>, <c>media:audio</c>, …)
/// with the handlers' attempts, backoff and dead letters (<c>Handlers</c> settings).
/// </summary>
public sealed class MediaOptions
{
    /// <summary>The folder media is kept in. Required; <c>wabahooks serve</c> defaults it to <c>media</c> in its data directory.</summary>
    public string Directory { get; set; } = "";

    /// <summary>
    /// The message types whose media is kept: any of <c>image</c>, <c>audio</c>, <c>video</c>, <c>document</c>,
    /// <c>sticker</c>. Empty (the default) keeps all five.
    /// </summary>
    public IList<string> Types { get; } = [];

    /// <summary>Whether test traffic (<c>wabahooks trigger</c>) is fetched too. Default <see langword="false"/>.</summary>
    public bool IncludeTestEvents { get; set; }

    /// <summary>How long one download may take, whole. Default 2 minutes (WhatsApp documents reach 100 MB).</summary>
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The Graph API: base URL, version and the access token (a system-user token with <c>whatsapp_business_messaging</c>).</summary>
    public GraphClientOptions Graph { get; set; } = new();

    /// <summary>Whether the media of <paramref name="type"/> messages is kept.</summary>
    public bool Keeps(string type) => Types.Count == 0 ? MediaReference.Types.Contains(type) : Types.Contains(type, StringComparer.Ordinal);

    /// <summary>Every problem with these settings, each saying how to fix it; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Directory))
        {
            errors.Add("Media:Directory is empty: give the folder to keep media in.");
        }

        foreach (var type in Types.Where(t => !MediaReference.Types.Contains(t)))
        {
            errors.Add($"Media:Types holds '{type}': use {string.Join(", ", MediaReference.Types)}.");
        }

        if (DownloadTimeout <= TimeSpan.Zero)
        {
            errors.Add($"Media:DownloadTimeout must be positive (was {DownloadTimeout.ToString("c", CultureInfo.InvariantCulture)}); the default is 2 minutes.");
        }

        if (Graph.ResolveAccessToken() is null)
        {
            errors.Add($"Media needs an access token to download media: set Media:Graph:AccessToken or the {GraphClientOptions.AccessTokenEnvironmentVariable} environment variable to a system-user token with whatsapp_business_messaging.");
        }

        errors.AddRange(Graph.Validate().Select(e => "Media:Graph: " + e));
        return errors;
    }
}
