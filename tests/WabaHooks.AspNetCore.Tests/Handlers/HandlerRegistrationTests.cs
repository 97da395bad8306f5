using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WabaHooks.Hosting.Sinks;
using WabaHooks.Hosting.Handlers;
using WabaHooks.Payloads;
using WabaHooks.Sinks;
using WabaHooks.Testing;

namespace WabaHooks.AspNetCore.Tests.Handlers;

public sealed class HandlerRegistrationTests
{
    private static Task Ignore<T>(WabaHookContext<T> context, CancellationToken cancellationToken)
        where T : class => Task.CompletedTask;

    [Fact]
    public void Default_names_come_from_the_kind_and_payload_type_with_an_ordinal_among_equals()
    {
        var services = new ServiceCollection();
        services.AddWabaHooks(_ => { })
            .On<TextMessage>(Ignore)
            .On<TextMessage>(Ignore)
            .On<IReadOnlyList<WhatsAppError>>(Ignore)
            .OnMessage(Ignore)
            .OnStatus(Ignore)
            .OnStatus(Ignore)
            .On("account_update", Ignore)
            .On<TextMessage>(Ignore);

        var names = services.Where(d => d.ServiceType == typeof(SinkRegistration)).Select(d => ((SinkRegistration)d.ImplementationInstance!).Name);

        Assert.Equal(
            [
                "handler:On<TextMessage>", "handler:On<TextMessage>#2", "handler:On<IReadOnlyList<WhatsAppError>>", "handler:OnMessage",
                "handler:OnStatus", "handler:OnStatus#2", "handler:On(account_update)", "handler:On<TextMessage>#3",
            ],
            names);
    }

    [Fact]
    public void A_name_given_twice_is_rejected_when_registered()
    {
        var hooks = new ServiceCollection().AddWabaHooks(_ => { }).On<TextMessage>(Ignore, name: "replies");

        var error = Assert.Throws<ArgumentException>(() => hooks.OnMessage(Ignore, name: "replies"));

        Assert.Contains("replies", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Handlers_are_scheduled_only_for_events_whose_payload_they_take()
    {
        var services = new ServiceCollection();
        services.AddWabaHooks(_ => { }).On<TextMessage>(Ignore).OnStatus(Ignore).On("account_update", Ignore);
        var router = new SinkRouter(services.Where(d => d.ServiceType == typeof(SinkRegistration)).Select(d => (SinkRegistration)d.ImplementationInstance!));

        Assert.Equal(["handler:On<TextMessage>"], RouteFirst(router, "messages-text.json"));
        Assert.Empty(RouteFirst(router, "messages-image.json"));
        Assert.Equal(["handler:OnStatus"], RouteFirst(router, "messages-status-delivered.json"));
        Assert.Equal(["handler:On(account_update)"], RouteFirst(router, "account_update-disabled.json"));
    }

    [Fact]
    public async Task Start_up_fails_listing_every_invalid_handler_setting()
    {
        using var dir = new TempDirectory();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddWabaHooks(o =>
        {
            o.VerifyToken = "token";
            o.AppSecrets.Add(new Signatures.AppSecret("app", "secret"));
            o.Handlers.MaxAttempts = 0;
            o.Handlers.BaseDelay = TimeSpan.FromMinutes(10);
            o.Handlers.Timeout = TimeSpan.Zero;
            o.Handlers.MaxConcurrency = 0;
            o.Handlers.PollInterval = TimeSpan.Zero;
        }).UseSqlite(dir.Path).OnMessage(Ignore);
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        foreach (var setting in new[] { "MaxAttempts", "BaseDelay", "Timeout", "MaxConcurrency", "PollInterval" })
        {
            Assert.Contains(error.Failures, f => f.Contains("Handlers." + setting, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(1, 100)]
    [InlineData(3, 400)]
    [InlineData(8, 1000)]
    [InlineData(200, 1000)]
    public void Backoff_is_full_jitter_under_an_exponential_ceiling_and_the_cap(int attempt, int ceilingMs)
    {
        var random = new Random(7);
        var delays = Enumerable.Range(0, 500)
            .Select(_ => Backoff.Delay(attempt, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), random))
            .ToArray();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromMilliseconds(ceilingMs)));
        Assert.Contains(delays, d => d < TimeSpan.FromMilliseconds(ceilingMs / 4.0));
        Assert.Contains(delays, d => d > TimeSpan.FromMilliseconds(ceilingMs * 3 / 4.0));
    }

    private static IReadOnlyList<string> RouteFirst(SinkRouter router, string payload) =>
        router.Route(Events.DeliverySplitter.Split(ExamplePayloads.Read(payload), 1).Events[0]);
}
