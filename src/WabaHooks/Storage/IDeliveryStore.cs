using WabaHooks.Inbox;

namespace WabaHooks.Storage;

/// <summary>
/// The durable inbox: raw deliveries in commit order. Implementations must make <see cref="AppendAsync"/> durable
/// before its task completes — the endpoint answers Meta 200 on the strength of it.
/// </summary>
public interface IDeliveryStore
{
    /// <summary>Creates or migrates the schema. Called once at start-up.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Appends a batch in one transaction and returns once it is durable (on disk, not only in a cache).
    /// </summary>
    /// <returns>The ids assigned, in the order of <paramref name="batch"/>.</returns>
    /// <exception cref="StoreUnavailableException">The store could not commit (locked, full, gone).</exception>
    Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<InboundDelivery> batch, CancellationToken cancellationToken);

    /// <summary>Lists deliveries, newest first.</summary>
    /// <param name="limit">At most this many.</param>
    /// <param name="beforeId">Only ids below this one, for paging; <see langword="null"/> for the newest.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<DeliverySummary>> ListAsync(int limit, long? beforeId, CancellationToken cancellationToken);

    /// <summary>Reads one delivery with its body, or <see langword="null"/> when there is none with that id.</summary>
    Task<Delivery?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the oldest deliveries the processor has not committed yet, in id order. With several writers ids are not
    /// committed in id order, so "everything above the last id seen" could skip one that commits late; a per-delivery
    /// mark cannot.
    /// </summary>
    Task<IReadOnlyList<Delivery>> ReadUnprocessedAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Reads deliveries with ids above <paramref name="afterId"/>, oldest first: how the processor walks the inbox.</summary>
    Task<IReadOnlyList<Delivery>> ReadAfterAsync(long afterId, int limit, CancellationToken cancellationToken);

    /// <summary>Proves the store accepts writes now, without changing what it holds.</summary>
    /// <exception cref="StoreUnavailableException">It does not.</exception>
    Task CheckWritableAsync(CancellationToken cancellationToken);
}
