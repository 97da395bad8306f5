using WabaHooks.Hosting.Handlers;
using WabaHooks.Payloads;

var builder = WebApplication.CreateBuilder(args);

// Everything under "WabaHooks" in appsettings.json (and WabaHooks__… environment variables): secrets, the store,
// destinations. A mistake there stops start-up with every problem listed.
builder.Services
    .AddWabaHooks(builder.Configuration.GetSection("WabaHooks"))
    .UseSqlite()
    .On<TextMessage, InboundTextLog>();

var app = builder.Build();
app.MapWabaHooks("/webhook");
app.MapWabaHooksHealth();
app.Run();

/// <summary>Runs after the 200, once per inbound text, at least once: a new instance per event, from a DI scope.</summary>
internal sealed partial class InboundTextLog(ILogger<InboundTextLog> logger) : IWabaHookHandler<TextMessage>
{
    public Task HandleAsync(WabaHookContext<TextMessage> context, CancellationToken cancellationToken)
    {
        LogText(logger, context.EventId, context.Event.PhoneNumberId, context.Payload.Text?.Body?.Length ?? 0);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Text {EventId} to phone number {PhoneNumberId}: {Length} characters")]
    private static partial void LogText(ILogger logger, string eventId, string? phoneNumberId, int length);
}
