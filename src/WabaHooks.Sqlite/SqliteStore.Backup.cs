using Microsoft.Data.Sqlite;

namespace WabaHooks.Sqlite;

public sealed partial class SqliteStore
{
    /// <summary>
    /// Writes a consistent copy of the database to <paramref name="path"/> while the store keeps running: SQLite's
    /// <c>VACUUM INTO</c> reads one snapshot (a read transaction, which in WAL mode never blocks the writer) and writes
    /// it compacted. The copy appears under its name only once complete. Restoring is copying it back, with the
    /// gateway stopped, over <c>wabahooks.db</c> (and removing any <c>wabahooks.db-wal</c> and <c>-shm</c> beside it).
    /// </summary>
    /// <param name="path">The file to create.</param>
    /// <param name="cancellationToken">Cancels before the copy starts.</param>
    /// <returns>The size of the copy, in bytes.</returns>
    /// <exception cref="IOException"><paramref name="path"/> exists already.</exception>
    public Task<long> BackupAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        cancellationToken.ThrowIfCancellationRequested();
        var target = Path.GetFullPath(path);
        if (File.Exists(target))
        {
            throw new IOException($"{target} exists already: give a new file name, or remove it first.");
        }

        // Written beside the target and renamed, so an interrupted backup never leaves a file that looks complete.
        var partial = target + ".partial";
        File.Delete(partial);
        using (var connection = Open())
        using (var command = connection.Command(null, "VACUUM INTO $path;", ("$path", partial)))
        {
            command.ExecuteNonQuery();
        }

        File.Move(partial, target);
        return Task.FromResult(new FileInfo(target).Length);
    }
}
