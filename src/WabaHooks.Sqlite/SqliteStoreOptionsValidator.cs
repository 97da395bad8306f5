using Microsoft.Extensions.Options;

namespace WabaHooks.Sqlite;

/// <summary>Checks the SQLite store's settings at start-up, each problem with its fix.</summary>
internal sealed class SqliteStoreOptionsValidator : IValidateOptions<SqliteStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteStoreOptions options)
    {
        var errors = new List<string>();
        if (options.DatabasePath.Length == 0)
        {
            errors.Add("Sqlite:DataDirectory is not set: give the folder for the database, e.g. \"./wabahooks-data\".");
        }

        if (options.FreeSpaceReserveBytes < 0)
        {
            errors.Add($"Sqlite:FreeSpaceReserveBytes is {options.FreeSpaceReserveBytes}: give the free bytes to keep on the data directory's disk, or 0 to turn the check off (the default is {SqliteStoreOptions.DefaultFreeSpaceReserveBytes}, 64 MiB).");
        }

        if (options.WalSizeLimitBytes < 1024 * 1024)
        {
            errors.Add($"Sqlite:WalSizeLimitBytes is {options.WalSizeLimitBytes}: it must be at least 1048576, 1 MiB (the default is {SqliteStoreOptions.DefaultWalSizeLimitBytes}, 16 MiB).");
        }

        if (options.BusyTimeout <= TimeSpan.Zero || options.BusyTimeout > TimeSpan.FromMinutes(5))
        {
            errors.Add($"Sqlite:BusyTimeout is {options.BusyTimeout}: it must be positive and at most 5 minutes (the default is 2 seconds).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
