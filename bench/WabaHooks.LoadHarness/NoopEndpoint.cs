using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WabaHooks.LoadHarness;

/// <summary>
/// The baseline: Kestrel that reads the whole body and answers 200, nothing else. The ratio to it shows what
/// verifying and durably storing each delivery costs.
/// </summary>
internal static class NoopEndpoint
{
    public static async Task RunAsync(string url)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        var app = builder.Build();
        var buffer = new byte[64 * 1024];
        app.Map("/webhook", async context =>
        {
            while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted) > 0)
            {
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentLength = 0;
        });
        await app.StartAsync();
        Console.WriteLine("Callback URL: " + url + "/webhook");
        await app.WaitForShutdownAsync();
    }
}
