using Microsoft.Extensions.Options;
using Npgsql;

namespace WabaHooks.Postgres;

/// <summary>Checks the PostgreSQL store's settings at start-up; never shows the connection string, which holds a password.</summary>
internal sealed class PostgresStoreOptionsValidator : IValidateOptions<PostgresStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgresStoreOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add("Postgres:ConnectionString is not set: give an Npgsql connection string, e.g. \"Host=db;Database=wabahooks;Username=wabahooks;Password=…\", or { \"File\": path }.");
        }
        else
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            }
            catch (ArgumentException)
            {
                // Npgsql's message may quote the string, password included.
                errors.Add("Postgres:ConnectionString is not a valid Npgsql connection string (Key=Value pairs separated by ';'), e.g. \"Host=db;Database=wabahooks;Username=wabahooks;Password=…\".");
            }
        }

        if (options.LockTimeout < TimeSpan.Zero || options.LockTimeout > TimeSpan.FromMinutes(5))
        {
            errors.Add($"Postgres:LockTimeout is {options.LockTimeout}: it must be from 0 (no limit) to 5 minutes (the default is 2 seconds).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
