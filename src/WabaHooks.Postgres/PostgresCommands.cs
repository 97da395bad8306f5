using Npgsql;
using NpgsqlTypes;

namespace WabaHooks.Postgres;

/// <summary>Typed parameters, so a NULL always has a type PostgreSQL can resolve (as in <c>@sink IS NULL</c>).</summary>
internal static class PostgresCommands
{
    public static NpgsqlCommand Text(this NpgsqlCommand command, string name, string? value) => command.Add(name, NpgsqlDbType.Text, value);

    public static NpgsqlCommand Long(this NpgsqlCommand command, string name, long? value) => command.Add(name, NpgsqlDbType.Bigint, value);

    public static NpgsqlCommand Int(this NpgsqlCommand command, string name, int? value) => command.Add(name, NpgsqlDbType.Integer, value);

    public static NpgsqlCommand Bytes(this NpgsqlCommand command, string name, ReadOnlyMemory<byte> value) =>
        command.Add(name, NpgsqlDbType.Bytea, value.ToArray());

    /// <summary>Bytes, or NULL when there are none.</summary>
    public static NpgsqlCommand NullableBytes(this NpgsqlCommand command, string name, ReadOnlyMemory<byte> value) =>
        command.Add(name, NpgsqlDbType.Bytea, value.IsEmpty ? null : value.ToArray());

    public static NpgsqlCommand Bool(this NpgsqlCommand command, string name, bool value) => command.Add(name, NpgsqlDbType.Boolean, value);

    public static NpgsqlCommand Double(this NpgsqlCommand command, string name, double value) => command.Add(name, NpgsqlDbType.Double, value);

    /// <summary>A typed parameter without a value yet, for a prepared command rebound row by row.</summary>
    public static NpgsqlParameter Parameter(this NpgsqlCommand command, string name, NpgsqlDbType type)
    {
        var parameter = new NpgsqlParameter(name, type);
        command.Parameters.Add(parameter);
        return parameter;
    }

    private static NpgsqlCommand Add(this NpgsqlCommand command, string name, NpgsqlDbType type, object? value)
    {
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
        return command;
    }

    public static object Db(this object? value) => value ?? DBNull.Value;

    public static string? NullableString(this NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static DateTimeOffset? NullableTime(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    public static DateTimeOffset Time(this NpgsqlDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
