using Npgsql;
using NpgsqlTypes;
using WabaHooks.Inbox;

namespace WabaHooks.Postgres;

public sealed partial class PostgresStore
{
    // One statement for the whole group commit, whatever its size: the ids are drawn first, each beside its delivery's
    // position in the batch (ord), so the answer maps ids to deliveries by construction rather than by the order in
    // which RETURNING happens to list rows. A data-modifying WITH runs to completion even though the outer query only
    // reads the ids. The statement is alone in its implicit transaction, with the lock timeout before it, so it is all
    // or nothing, and it commits before the server says it is ready for the next query.
    private const string AppendSql =
        """
        WITH input AS MATERIALIZED (
            SELECT nextval(pg_get_serial_sequence('deliveries', 'id')) AS id, u.*
            FROM unnest($1::bigint[], $2::text[], $3::integer[], $4::integer[], $5::bytea[], $6::text[])
                WITH ORDINALITY AS u(received_at, app_id, length, flags, body, trace_parent, ord)),
        stored AS (
            INSERT INTO deliveries (id, received_at, app_id, length, flags, body, trace_parent) OVERRIDING SYSTEM VALUE
            SELECT id, received_at, app_id, length, flags, body, trace_parent FROM input)
        SELECT id FROM input ORDER BY ord;
        """;

    /// <inheritdoc/>
    /// <remarks>
    /// One round trip per batch: the lock timeout and the insert travel together and run as one implicit transaction,
    /// which commits before the server says it is ready for the next query; the ids are returned only after that
    /// point is read. With <c>synchronous_commit</c> at its default, <c>on</c>, the commit is flushed to PostgreSQL's
    /// write-ahead log by then.
    /// </remarks>
    public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<InboundDelivery> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<long>>([]);
        }

        return Guard<IReadOnlyList<long>>(async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var append = new NpgsqlBatch(connection);
            append.Add(_lockTimeout.SetForQuery);
            append.Add(AppendSql, AppendParameters(batch));

            var ids = new long[batch.Count];
            await using var reader = await append.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false); // Past set_config's row, to the ids.
            for (var i = 0; i < ids.Length; i++)
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new InvalidOperationException($"The append returned {i} ids for {ids.Length} deliveries.");
                }

                ids[i] = reader.GetInt64(0);
            }

            // To the end of the answer: the implicit transaction commits there, and a failure to commit is reported
            // there. Only then is the batch durable.
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
            {
            }

            return ids;
        });
    }

    private static NpgsqlParameter[] AppendParameters(IReadOnlyList<InboundDelivery> batch)
    {
        var receivedAt = new long[batch.Count];
        var appIds = new string[batch.Count];
        var lengths = new int[batch.Count];
        var flags = new int[batch.Count];
        var bodies = new byte[batch.Count][];
        var traceParents = new string?[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var delivery = batch[i];
            receivedAt[i] = delivery.ReceivedAt.ToUnixTimeMilliseconds();
            appIds[i] = delivery.AppId;
            lengths[i] = delivery.Body.Length;
            flags[i] = (int)delivery.Flags;
            bodies[i] = PostgresArrays.Exact(delivery.Body);
            traceParents[i] = delivery.TraceParent;
        }

        return
        [
            PostgresArrays.Of(receivedAt, NpgsqlDbType.Bigint),
            PostgresArrays.Of(appIds, NpgsqlDbType.Text),
            PostgresArrays.Of(lengths, NpgsqlDbType.Integer),
            PostgresArrays.Of(flags, NpgsqlDbType.Integer),
            PostgresArrays.Of(bodies, NpgsqlDbType.Bytea),
            PostgresArrays.Of(traceParents, NpgsqlDbType.Text),
        ];
    }
}
