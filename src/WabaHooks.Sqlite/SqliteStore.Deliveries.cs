using Microsoft.Data.Sqlite;
using WabaHooks.Inbox;

namespace WabaHooks.Sqlite;

public sealed partial class SqliteStore
{
    private const string SummaryColumns = "id, received_at, app_id, length, flags, trace_parent";

    /// <inheritdoc/>
    public Task<IReadOnlyList<DeliverySummary>> ListAsync(int limit, long? beforeId, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SummaryColumns} FROM deliveries WHERE id < $before ORDER BY id DESC LIMIT $limit;";
        command.Parameters.AddWithValue("$before", beforeId ?? long.MaxValue);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var list = new List<DeliverySummary>();
        while (reader.Read())
        {
            list.Add(ReadSummary(reader));
        }

        return Task.FromResult<IReadOnlyList<DeliverySummary>>(list);
    }

    /// <inheritdoc/>
    public Task<Delivery?> GetAsync(long id, CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SummaryColumns}, body FROM deliveries WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        return Task.FromResult(reader.Read() ? new Delivery(ReadSummary(reader), (byte[])reader.GetValue(6)) : null);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<Delivery>> ReadAfterAsync(long afterId, int limit, CancellationToken cancellationToken) =>
        ReadBodiesAsync($"SELECT {SummaryColumns}, body FROM deliveries WHERE id > $after ORDER BY id LIMIT $limit;", afterId, limit);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Delivery>> ReadUnprocessedAsync(int limit, CancellationToken cancellationToken) =>
        ReadBodiesAsync(UnprocessedSql, 0, limit);

    /// <summary>The backlog in id order: a walk of <c>delivery_pending</c> from its start, each delivery found by its id.</summary>
    internal const string UnprocessedSql =
        $"SELECT {SummaryColumns}, body FROM delivery_pending JOIN deliveries USING (id) WHERE id > $after ORDER BY id LIMIT $limit;";

    private Task<IReadOnlyList<Delivery>> ReadBodiesAsync(string sql, long afterId, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$after", afterId);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var list = new List<Delivery>();
        while (reader.Read())
        {
            list.Add(new Delivery(ReadSummary(reader), (byte[])reader.GetValue(6)));
        }

        return Task.FromResult<IReadOnlyList<Delivery>>(list);
    }

    private static DeliverySummary ReadSummary(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
        reader.GetString(2),
        reader.GetInt32(3),
        (DeliveryFlags)reader.GetInt32(4),
        reader.IsDBNull(5) ? null : reader.GetString(5));
}
