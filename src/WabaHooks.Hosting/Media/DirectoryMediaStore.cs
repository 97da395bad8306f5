using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using WabaHooks.Media;

namespace WabaHooks.Hosting.Media;

/// <summary>
/// Keeps media in a directory: for each message, <c>{name}.bin</c> (the bytes) and <c>{name}.json</c> (what is known of
/// them), where the name is the SHA-256 of the wamid in hex, so any wamid makes a safe file name of fixed length. Both
/// are written to temporary files and moved into place, the description last: a reader never sees half an item.
/// </summary>
public sealed class DirectoryMediaStore : IMediaStore
{
    private readonly string _directory;
    private readonly TimeProvider _time;

    /// <summary>Creates a store over <paramref name="directory"/>, created when missing.</summary>
    /// <param name="directory">The directory.</param>
    /// <param name="time">The clock for <see cref="StoredMedia.StoredAt"/>; the system clock when null.</param>
    public DirectoryMediaStore(string directory, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = Path.GetFullPath(directory);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The directory the store keeps media in.</summary>
    public string Directory => _directory;

    /// <inheritdoc />
    public async Task<StoredMedia> SaveAsync(StoredMedia media, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(media);
        ArgumentNullException.ThrowIfNull(content);
        System.IO.Directory.CreateDirectory(_directory);
        var name = NameOf(media.Wamid);
        var binary = Path.Combine(_directory, name + ".bin");
        var stored = media with { Location = binary, StoredAt = _time.GetUtcNow() };
        var temporary = Path.Combine(_directory, $"{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, binary, overwrite: true);
            await File.WriteAllBytesAsync(temporary, JsonSerializer.SerializeToUtf8Bytes(stored, MediaStoreJsonContext.Default.StoredMedia), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, Path.Combine(_directory, name + ".json"), overwrite: true);
            return stored;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <inheritdoc />
    public async Task<StoredMedia?> FindAsync(string wamid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wamid);
        var description = Path.Combine(_directory, NameOf(wamid) + ".json");
        try
        {
            var bytes = await File.ReadAllBytesAsync(description, cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Deserialize(bytes, MediaStoreJsonContext.Default.StoredMedia);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<Stream?> OpenReadAsync(string wamid, CancellationToken cancellationToken)
    {
        var media = await FindAsync(wamid, cancellationToken).ConfigureAwait(false);
        return media is null ? null : new FileStream(media.Location, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
    }

    private static string NameOf(string wamid) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(wamid)));
}

/// <summary>The description files of <see cref="DirectoryMediaStore"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(StoredMedia))]
internal sealed partial class MediaStoreJsonContext : JsonSerializerContext;
