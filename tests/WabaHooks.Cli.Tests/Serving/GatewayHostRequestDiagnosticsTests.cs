using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Cli.Configuration;
using WabaHooks.Cli.Serving;
using WabaHooks.Cli.Serving.Transport;
using WabaHooks.Testing;

namespace WabaHooks.Cli.Tests.Serving;

/// <summary>
/// ASP.NET Core starts an Activity (and a log scope) for each request whenever its hosting log category is on. serve's
/// simple log lines show neither, so with them a request runs without; JSON lines carry the trace ids, so there it stays.
/// </summary>
public sealed class GatewayHostRequestDiagnosticsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_request_runs_under_an_activity_only_when_the_log_lines_carry_its_trace_id(bool json)
    {
        var serve = new ServeOptions { LogFormat = json ? LogFormat.Json : LogFormat.Simple };
        var errors = new List<string>();
        using var transport = WebhookTransport.Create(serve, [new Uri("http://127.0.0.1:0")], hasCertificate: false, TimeProvider.System, errors);
        Assert.Empty(errors);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [CliConfiguration.Key("AppSecrets", "0")] = "0123456789abcdef0123456789abcdef",
            [CliConfiguration.Key("VerifyToken")] = "t",
            [CliConfiguration.Key("Sqlite", "DataDirectory")] = _dir.Combine("data"),
        }).Build();
        await using var app = GatewayHost.Build(configuration, serve, transport, postgres: false);
        var seen = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Use((HttpContext context, RequestDelegate next) =>
        {
            seen.TrySetResult(Activity.Current is not null);
            return next(context);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            using var client = new HttpClient();
            using var _ = await client.GetAsync(new Uri(address + "/healthz"), TestContext.Current.CancellationToken);

            Assert.Equal(json, await Await.Within(seen));
        }
        finally
        {
            await app.StopAsync(TestContext.Current.CancellationToken);
        }
    }
}
