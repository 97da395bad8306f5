// A user's app, reduced to what the multi-instance tests need: WabaHooks embedded in ASP.NET Core on PostgreSQL, with
// one in-process handler whose effect outlives the process. Several of these share one database in a test, which
// sends to all of them and kills one with SIGKILL.
//
//   dotnet WabaHooks.InstanceHost.dll --port 0 --postgres "Host=…" --verify-token T --app-secret S --handled-file F
//     [--handler-delay-ms N] [--ordered true]
//   (or --sqlite DIR instead of --postgres: one process on a SQLite data directory)
//
// It prints "Listening on http://127.0.0.1:PORT/webhook" once it accepts deliveries. The handler appends each inbound
// message's event id as one line to the handled file, then takes N more milliseconds (default 0), as a handler that
// goes on to call an API does. --ordered true registers it with Ordering = PerConversation (no reorder window).

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using WabaHooks.Hosting;
using WabaHooks.Signatures;
using WabaHooks.Sinks;

// No file watching: a watcher over the content root costs CPU and the tests start several of these at once.
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
{
    Args = [.. args, "--hostBuilder:reloadConfigOnChange=false"],
    ContentRootPath = AppContext.BaseDirectory,
});
var configuration = builder.Configuration;
string Required(string key) =>
    configuration[key] is { Length: > 0 } value ? value : throw new InvalidOperationException($"--{key} is required.");

var port = int.Parse(Required("port"), System.Globalization.CultureInfo.InvariantCulture);
var connectionString = configuration["postgres"];
var sqlite = configuration["sqlite"];
if (string.IsNullOrEmpty(connectionString) == string.IsNullOrEmpty(sqlite))
{
    throw new InvalidOperationException("Give one of --postgres and --sqlite.");
}

var ordered = bool.Parse(configuration["ordered"] ?? "false");
var handledFile = Path.GetFullPath(Required("handled-file"));
var verifyToken = Required("verify-token");
var appSecret = AppSecret.Parse(Required("app-secret"));
var handlerDelay = TimeSpan.FromMilliseconds(int.Parse(configuration["handler-delay-ms"] ?? "0", System.Globalization.CultureInfo.InvariantCulture));

builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");

// One process runs up to MaxConcurrency invocations at once, and .NET appends by seeking to the end rather than with
// O_APPEND: without this lock two appends could write at the same offset and one line would be lost.
var appendLock = new Lock();

// The app's own data source, as Npgsql's AddNpgsqlDataSource registers it, which WabaHooks shares: the multi-instance
// tests then kill instances whose processing lease is held on a connection of the app's pool.
if (connectionString is not null)
{
    builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
}

var wabaHooks = builder.Services
    .AddWabaHooks(options =>
    {
        options.VerifyToken = verifyToken;
        options.AppSecrets.Add(appSecret);

        // A killed process's claimed work is taken over when its lease (Timeout + 30 s) runs out: a short timeout
        // keeps the test's wait for it short. The handler takes microseconds.
        options.Handlers.Timeout = TimeSpan.FromSeconds(2);
        // Ordered: an event is handed over as soon as it is first in its conversation, so the order seen is the
        // ordering's doing and the test need not wait out a window.
        options.Handlers.ReorderWindow = TimeSpan.Zero;
    });
(connectionString is not null ? wabaHooks.UsePostgres(services => services.GetRequiredService<NpgsqlDataSource>()) : wabaHooks.UseSqlite(sqlite!))
    .OnMessage(
        async (e, cancellationToken) =>
        {
            // One write() per event, done before the handler returns, and the store marks the work done only after it
            // returns: a SIGKILL can cost a repeat (the line is written, the mark is not), never a missing line.
            lock (appendLock)
            {
                File.AppendAllText(handledFile, e.EventId + "\n");
            }

            // The rest of the handler's work: a kill that lands here leaves a written line whose work is not marked
            // done, so it is run again elsewhere — the repeat that at-least-once allows.
            await Task.Delay(handlerDelay, cancellationToken);
        },
        name: "handled-file",
        ordering: ordered ? SinkOrdering.PerConversation : SinkOrdering.None);

var app = builder.Build();
app.MapWabaHooks("/webhook");
app.MapWabaHooksHealth();

// Started means the store is migrated and Kestrel listens, so the printed URL accepts deliveries at once.
await app.StartAsync();
Console.WriteLine($"Listening on {app.Urls.First()}/webhook");
await app.WaitForShutdownAsync();
