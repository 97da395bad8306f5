using System.Runtime.InteropServices;
using Npgsql;
using NpgsqlTypes;

namespace WabaHooks.Postgres;

/// <summary>
/// Array parameters for the multi-row statements (<c>unnest($1::text[], …)</c>). One statement text serves every batch
/// size, so PostgreSQL parses and plans it once per connection instead of once per row, and the rows travel as a few
/// binary arrays in one message.
/// </summary>
internal static class PostgresArrays
{
    /// <summary>A typed array parameter; null elements are sent as SQL NULL.</summary>
    public static NpgsqlParameter Of<T>(T[] values, NpgsqlDbType elementType) =>
        new NpgsqlParameter<T[]> { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | elementType };

    /// <summary>A typed scalar parameter.</summary>
    public static NpgsqlParameter Scalar<T>(T value, NpgsqlDbType type) => new NpgsqlParameter<T> { TypedValue = value, NpgsqlDbType = type };

    /// <summary>The bytes as an array, without a copy when they already are exactly one.</summary>
    public static byte[] Exact(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToArray();

    /// <summary>Adds a command with its parameters to a batch.</summary>
    public static void Add(this NpgsqlBatch batch, string sql, params ReadOnlySpan<NpgsqlParameter> parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter);
        }

        batch.BatchCommands.Add(command);
    }
}
