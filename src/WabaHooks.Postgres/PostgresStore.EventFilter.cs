using Npgsql;
using WabaHooks.Storage;

namespace WabaHooks.Postgres;

public sealed partial class PostgresStore
{
    private static readonly SqlDialect Dialect = new('@', BooleansAsIntegers: false, (column, bytes) => $"position({bytes} in {column}) > 0");

    /// <summary>The condition of an <see cref="EventQuery"/> in PostgreSQL's words, with what adds its parameters to a command.</summary>
    internal static (string Where, Action<NpgsqlCommand> Parameters) EventFilter(EventQuery query)
    {
        var (where, parameters) = EventFilterSql.Build(query, Dialect);
        return (where, command =>
        {
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }
        });
    }
}
