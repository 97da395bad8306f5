using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Hosting;
using WabaHooks.Payloads;
using WabaHooks.Signatures;

namespace EchoBot;

/// <summary>
/// The echo reply bot of Meta's sample app, on WabaHooks: each inbound text is answered with "Echo: " and its text,
/// as a reply to it. The answer is sent by a handler after the 200, so Meta never waits for the Graph API.
/// </summary>
public static class EchoBotApp
{
    /// <summary>The handler's sink name; kept fixed so pending echoes survive a change of the code around it.</summary>
    public const string HandlerName = "echo";

    /// <summary>Builds the app from the command line, environment and appsettings.json; see <see cref="EchoBotSettings"/>.</summary>
    /// <exception cref="InvalidOperationException">No access token is configured.</exception>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var settings = builder.Configuration.Get<EchoBotSettings>() ?? new EchoBotSettings();
        settings.AccessToken ??= Environment.GetEnvironmentVariable("WABAHOOKS_ACCESS_TOKEN");
        if (string.IsNullOrEmpty(settings.AccessToken))
        {
            throw new InvalidOperationException("No access token: set AccessToken or the WABAHOOKS_ACCESS_TOKEN environment variable.");
        }

        builder.Services.AddSingleton(settings);
        builder.Services.AddHttpClient<WhatsAppMessages>(client =>
        {
            // A trailing slash, so "v24.0/…" is appended to the base rather than replacing its last segment.
            client.BaseAddress = new Uri(settings.GraphBaseUrl.ToString().TrimEnd('/') + "/");
            client.Timeout = TimeSpan.FromSeconds(20);
        });

        builder.Services
            .AddWabaHooks(options =>
            {
                options.VerifyToken = settings.VerifyToken;
                if (!string.IsNullOrEmpty(settings.AppSecret))
                {
                    options.AppSecrets.Add(new AppSecret(null, settings.AppSecret));
                }
            })
            .UseSqlite(settings.DataDir)
            .On<TextMessage>(EchoAsync, HandlerName);

        var app = builder.Build();
        app.MapWabaHooks("/webhook");
        app.MapWabaHooksHealth();
        return app;
    }

    private static Task EchoAsync(WabaHooks.Hosting.Handlers.WabaHookContext<TextMessage> e, CancellationToken cancellationToken)
    {
        var message = e.Payload;
        // Group messages are left alone: "from" is a member, and an echo would go to them privately. Users known only
        // by a business-scoped user ID have no "from" to reply to.
        if (message.GroupId is not null || message.From is null || message.Text?.Body is null || e.Event.PhoneNumberId is null)
        {
            return Task.CompletedTask;
        }

        return e.Services.GetRequiredService<WhatsAppMessages>()
            .SendTextReplyAsync(e.Event.PhoneNumberId, message.From, "Echo: " + message.Text.Body, message.Wamid, cancellationToken);
    }
}
