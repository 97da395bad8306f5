using WabaHooks.Storage;

namespace WabaHooks.Sqlite;

public sealed partial class SqliteStore
{
    private static readonly SqlDialect Dialect = new('$', BooleansAsIntegers: true, (column, bytes) => $"instr({column}, {bytes}) > 0");

    /// <summary>The condition of an <see cref="EventQuery"/> in SQLite's words, with its parameters named as commands take them.</summary>
    internal static (string Where, List<(string, object?)> Parameters) EventFilter(EventQuery query)
    {
        var (where, parameters) = EventFilterSql.Build(query, Dialect);
        return (where, [.. parameters.Select(p => ("$" + p.Key, (object?)p.Value))]);
    }
}
