using WabaHooks.Storage;

namespace WabaHooks.Hosting.Retention;

/// <summary>
/// How long the store keeps what it holds, per table, and a cap on its size. A background service removes what is
/// older in small batches; it never removes a delivery not yet processed, an event whose sink work is pending or
/// dead-lettered, or the idempotency key of an event stored inside Meta's redelivery horizon.
/// </summary>
/// <remarks>
/// The defaults suit a busy Business Solution Provider: a month of raw deliveries and events covers the questions an
/// operator asks about recent traffic ("did Meta send it? what did we make of it? did the CRM get it?") and a monthly
/// reconciliation, while the store stays a bounded size (about 30 days × the daily volume; at 100 deliveries a second
/// of 2 KiB each, some 500 GiB — lower them for such volumes). Dead letters are kept three times longer because they
/// are the part someone still has to act on. Times are wall-clock durations, not counts, so the size follows the rate.
/// </remarks>
public sealed class RetentionOptions
{
    /// <summary>Meta retries a delivery it did not get a 200 for during up to 7 days (its WhatsApp pages; a Graph page says 36 hours — the longer window is the one to plan for).</summary>
    public static readonly TimeSpan MetaRedeliveryHorizon = TimeSpan.FromDays(7);

    /// <summary>Whether the background service prunes at all. Default <see langword="true"/>; <see langword="false"/> keeps everything (the store then grows without bound).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long raw deliveries (the exact bytes Meta sent) are kept after they are processed. Default 30 days.</summary>
    public TimeSpan Deliveries { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long typed events are kept after they are stored, with their delivered sink work and their rows in the
    /// message status view. An event with pending or dead-lettered work stays. Default 30 days.
    /// </summary>
    public TimeSpan Events { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long the record of each attempt to hand an event to a sink is kept, once its work is delivered. Default 30 days.</summary>
    public TimeSpan Attempts { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a dead letter (an event a sink never took within its retry policy) is kept after its last attempt,
    /// with its attempts; then its event follows <see cref="Events"/>. Default 90 days: someone still has to look at it.
    /// </summary>
    public TimeSpan DeadLetters { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// How long the audit log (who retried, replayed, paused what, and when) is kept. Default 90 days, like dead
    /// letters: the record of what was done about them lives as long as they do.
    /// </summary>
    public TimeSpan AuditLog { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// How long an event's idempotency key outlives a shorter <see cref="Events"/> retention, so that a redelivery from
    /// Meta is still recognised as a duplicate: the key of an event removed earlier than this after it was stored is
    /// kept, alone, until then. Default 7 days, Meta's retry window (<see cref="MetaRedeliveryHorizon"/>); shorter lets
    /// a late redelivery through as a new event.
    /// </summary>
    public TimeSpan DedupeHorizon { get; set; } = MetaRedeliveryHorizon;

    /// <summary>
    /// A safety net: when the store's data exceeds this many bytes, the oldest processed deliveries and events are
    /// removed beyond their retention, until it fits (the same rows stay protected). 0 turns it off. Default 0: the
    /// time limits bound the store at a steady rate, the SQLite store already refuses deliveries (503, so Meta retries)
    /// before its disk fills, and removing recent history is a choice to make knowingly. Applies to SQLite; PostgreSQL
    /// reuses the space of removed rows rather than shrinking, so its size is not a measure this can act on.
    /// </summary>
    public long MaxStoreBytes { get; set; }

    /// <summary>How often the background service prunes. Default 5 minutes.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Most rows removed from one table in one transaction. Small, so the write lock is held for a few milliseconds at
    /// a time and the inbox's commits are not delayed in between. Default 500.
    /// </summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>The cutoffs these settings give at <paramref name="now"/>.</summary>
    public RetentionCutoffs CutoffsAt(DateTimeOffset now) =>
        new(now - Deliveries, now - Events, now - Attempts, now - DeadLetters, now - DedupeHorizon, now - AuditLog);
}
