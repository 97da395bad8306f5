namespace WabaHooks.Media;

/// <summary>
/// Where media fetched on arrival is kept, one item per inbound message, keyed by its wamid. Saving the same wamid again
/// replaces the item (a fetch retried after a crash), so a save is idempotent.
/// </summary>
public interface IMediaStore
{
    /// <summary>Keeps <paramref name="content"/> as the media of <paramref name="media"/>'s message.</summary>
    /// <param name="media">What is known of it; <see cref="StoredMedia.Location"/> and <see cref="StoredMedia.StoredAt"/> are set by the store.</param>
    /// <param name="content">The verified bytes, read to the end.</param>
    /// <param name="cancellationToken">Cancels the save; nothing half-written is left visible.</param>
    /// <returns>The stored item, with its location.</returns>
    Task<StoredMedia> SaveAsync(StoredMedia media, Stream content, CancellationToken cancellationToken);

    /// <summary>The stored media of a message; <see langword="null"/> when none is stored (yet).</summary>
    Task<StoredMedia?> FindAsync(string wamid, CancellationToken cancellationToken);

    /// <summary>Opens the stored bytes of a message for reading; <see langword="null"/> when none is stored.</summary>
    Task<Stream?> OpenReadAsync(string wamid, CancellationToken cancellationToken);
}
