using Npgsql;
using WabaHooks.Inbox;

namespace WabaHooks.Postgres;

public sealed partial class PostgresStore
{
    private const string SummaryColumns = "id, received_at, app_id, length, flags, trace_parent";

    /// <inheritdoc/>
    public Task<IReadOnlyList<DeliverySummary>> ListAsync(int limit, long? beforeId, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ReadRowsAsync(
            $"SELECT {SummaryColumns} FROM deliveries WHERE id < @before ORDER BY id DESC LIMIT @limit;",
            c => c.Long("before", beforeId ?? long.MaxValue).Int("limit", limit),
            r => ReadSummary(r),
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<Delivery?> GetAsync(long id, CancellationToken cancellationToken) =>
        ReadFirstAsync(
            $"SELECT {SummaryColumns}, body FROM deliveries WHERE id = @id;",
            c => c.Long("id", id),
            r => new Delivery(ReadSummary(r), (byte[])r.GetValue(6)),
            cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Delivery>> ReadAfterAsync(long afterId, int limit, CancellationToken cancellationToken) =>
        ReadBodiesAsync($"SELECT {SummaryColumns}, body FROM deliveries WHERE id > @after ORDER BY id LIMIT @limit;", afterId, limit, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Delivery>> ReadUnprocessedAsync(int limit, CancellationToken cancellationToken) =>
        ReadBodiesAsync($"SELECT {SummaryColumns}, body FROM delivery_pending JOIN deliveries USING (id) WHERE id > @after ORDER BY id LIMIT @limit;", 0, limit, cancellationToken);

    private Task<IReadOnlyList<Delivery>> ReadBodiesAsync(string sql, long afterId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ReadRowsAsync(
            sql,
            c => c.Long("after", afterId).Int("limit", limit),
            r => new Delivery(ReadSummary(r), (byte[])r.GetValue(6)),
            cancellationToken);
    }

    private static DeliverySummary ReadSummary(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
        reader.GetString(2),
        reader.GetInt32(3),
        (DeliveryFlags)reader.GetInt32(4),
        reader.IsDBNull(5) ? null : reader.GetString(5));
}
