using WabaHooks.Sqlite;
using WabaHooks.Testing;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Support;

/// <summary>One real <c>wabahooks serve</c> for a test class, with a known verify token and app secret.</summary>
public sealed class ServeFixture : IAsyncLifetime
{
    public const string VerifyToken = "serve-verify-token-3318";
    public const string AppSecret = "0123456789abcdef0123456789abcdef";

    private readonly TempDirectory _dir = new();
    private CliProcess? _serve;

    public Uri CallbackUrl { get; private set; } = null!;

    public string DataDir => _dir.Combine("data");

    public string WorkDir => _dir.Path;

    public async ValueTask InitializeAsync()
    {
        (_serve, CallbackUrl) = await CliProcess.StartServeAsync(
            ["--urls", "http://127.0.0.1:0", "--data-dir", DataDir, "--verify-token", VerifyToken, "--app-secret", AppSecret], _dir.Path);
    }

    /// <summary>Opens the store serve writes to; reading beside a running serve is what <c>deliveries list</c> does.</summary>
    public SqliteStore OpenStore() => new(SqliteStoreOptions.ForDataDirectory(DataDir));

    public async ValueTask DisposeAsync()
    {
        if (_serve is not null)
        {
            await _serve.DisposeAsync();
        }

        _dir.Dispose();
    }
}
