using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WabaHooks.Graph.Watchdog;
using WabaHooks.Testing.Graph;
using WabaHooks.Graph;
using WabaHooks.Hosting;
using WabaHooks.Hosting.Diagnostics;
using WabaHooks.Storage;
using WabaHooks.Testing.Http;

namespace WabaHooks.Graph.Tests.Watchdog;

public sealed class SubscriptionWatchdogTests : IAsyncLifetime
{
    private const string Token = GraphStub.AccessToken;
    private const string PhoneNumberId = GraphStub.PhoneNumberId;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly HttpClient _http = new();
    private readonly CapturingLogger<WatchdogService> _log = new();
    private GraphStub _graph = null!;
    private readonly RecordedEvents _store;

    public SubscriptionWatchdogTests() => _store = new RecordedEvents(_time);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _graph = await GraphStub.StartAsync(Ct);
        _graph.SubscribeWaba();
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _http.Dispose();
        await _graph.DisposeAsync();
    }

    private (SubscriptionWatchdog Watchdog, WatchdogService Service) Create(string? appId = GraphStub.AppId, TimeSpan? silence = null, WabaHooksMetrics? metrics = null)
    {
        var options = new WatchdogOptions
        {
            AppId = appId,
            SilenceWarning = silence ?? TimeSpan.FromHours(1),
            Graph = new GraphClientOptions { BaseUrl = _graph.BaseUrl, AccessToken = Token, MaxRetries = 0 },
        };
        options.WabaIds.Add(GraphStub.WabaId);
        Assert.Empty(options.Validate());
        var watchdog = new SubscriptionWatchdog(new GraphClient(_http, options.Graph, _time), _store.Store, options, _time, metrics);
        return (watchdog, new WatchdogService(watchdog, Options.Create(options), _time, _log));
    }

    private static WabaWatchReport Waba(WatchdogReport report) => Assert.Single(report.Wabas);

    [Fact]
    public async Task A_subscribed_app_with_recent_events_gives_no_warning()
    {
        var (watchdog, service) = Create();
        _store.Add(GraphStub.WabaId, PhoneNumberId);

        await watchdog.CheckAsync(Ct);
        service.LogChanges();

        var report = watchdog.Report();
        Assert.Equal("ok", report.Status);
        Assert.Empty(report.Warnings);
        Assert.Equal("subscribed", Waba(report).Subscription);
        Assert.Equal(_time.GetUtcNow(), Waba(report).CheckedAt);
        Assert.Equal(_time.GetUtcNow(), Assert.Single(Waba(report).PhoneNumbers).LastEventAt);
        Assert.DoesNotContain(_log.Lines, l => l.Level >= LogLevel.Warning);
        var request = Assert.Single(_graph.Requests);
        Assert.Equal(("GET", $"/v24.0/{GraphStub.WabaId}/subscribed_apps"), (request.Method, request.Path));
        Assert.Equal("Bearer " + Token, request.Authorization);
    }

    [Fact]
    public async Task Each_check_is_counted_by_WABA_and_result_and_the_silence_gauge_counts_from_the_latest_event()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var metrics = new WabaHooksMetrics(_time, factory);
        using var checks = new MetricCollector<long>(factory, WabaHooksTelemetry.MeterName, "wabahooks.watchdog.checks");
        using var silence = new MetricCollector<double>(factory, WabaHooksTelemetry.MeterName, "wabahooks.watchdog.silence");
        var (watchdog, _) = Create(metrics: metrics);
        _store.Add(GraphStub.WabaId, PhoneNumberId);

        await watchdog.CheckAsync(Ct);
        _time.Advance(TimeSpan.FromMinutes(2));
        _graph.UnsubscribeWaba();
        await watchdog.CheckAsync(Ct);

        var counted = checks.GetMeasurementSnapshot();
        Assert.Equal(2, counted.Count);
        Assert.All(counted, m => Assert.Equal(GraphStub.WabaId, m.Tags["wabahooks.waba_id"]));
        Assert.Equal(["subscribed", "not_subscribed"], counted.Select(m => (string)m.Tags["wabahooks.watchdog.result"]!));
        silence.RecordObservableInstruments();
        Assert.Equal(120, silence.LastMeasurement!.Value);
        Assert.Equal(GraphStub.WabaId, silence.LastMeasurement.Tags["wabahooks.waba_id"]);
    }

    [Fact]
    public async Task An_app_removed_from_subscribed_apps_warns_in_the_log_and_the_report_once_and_clears_when_back()
    {
        var (watchdog, service) = Create();
        await watchdog.CheckAsync(Ct);
        service.LogChanges();

        _graph.UnsubscribeWaba();
        _graph.SubscribeWaba(appId: "999999999");
        await watchdog.CheckAsync(Ct);
        service.LogChanges();
        await watchdog.CheckAsync(Ct);
        service.LogChanges();

        var report = watchdog.Report();
        Assert.Equal("warning", report.Status);
        Assert.Equal("not_subscribed", Waba(report).Subscription);
        var warning = Assert.Single(report.Warnings);
        Assert.Contains($"app {GraphStub.AppId} is no longer subscribed", warning, StringComparison.Ordinal);
        Assert.Contains(GraphStub.WabaId, warning, StringComparison.Ordinal);
        Assert.Single(_log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains(warning, StringComparison.Ordinal));

        _graph.SubscribeWaba();
        await watchdog.CheckAsync(Ct);
        service.LogChanges();

        Assert.Empty(watchdog.Report().Warnings);
        Assert.Contains(_log.Lines, l => l.Level == LogLevel.Information && l.Message.Contains("cleared", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_an_app_id_only_an_empty_list_warns()
    {
        var (watchdog, _) = Create(appId: null);
        _graph.UnsubscribeWaba();
        _graph.SubscribeWaba(appId: "999999999");
        await watchdog.CheckAsync(Ct);
        Assert.Equal("subscribed", Waba(watchdog.Report()).Subscription);

        _graph.UnsubscribeWaba(appId: "999999999");
        await watchdog.CheckAsync(Ct);

        Assert.Contains("no app is subscribed", Assert.Single(watchdog.Report().Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Graph_error_warns_with_Metas_message_and_codes_but_never_the_token()
    {
        var (watchdog, service) = Create();
        _graph.Enqueue(ScriptedReply.Error(401, 190, $"Error validating access token: Session has expired for {Token}.", subcode: 463, fbtraceId: "AbCdEfTrace"));

        await watchdog.CheckAsync(Ct);
        service.LogChanges();

        var report = watchdog.Report();
        Assert.Equal("check_failed", Waba(report).Subscription);
        var warning = Assert.Single(report.Warnings);
        Assert.Contains("Error validating access token: Session has expired", warning, StringComparison.Ordinal);
        Assert.Contains("code 190", warning, StringComparison.Ordinal);
        Assert.Contains("subcode 463", warning, StringComparison.Ordinal);
        Assert.Contains("AbCdEfTrace", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, warning, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, Waba(report).CheckError!, StringComparison.Ordinal);
        Assert.Contains(_log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("Session has expired", StringComparison.Ordinal));
        Assert.DoesNotContain(_log.Lines, l => l.Message.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Silence_warns_after_the_configured_time_for_the_WABA_and_each_phone_number_and_clears_when_an_event_arrives()
    {
        var (watchdog, service) = Create(silence: TimeSpan.FromMinutes(30));
        _store.Add(GraphStub.WabaId, PhoneNumberId);
        await watchdog.CheckAsync(Ct);
        service.LogChanges();

        _time.Advance(TimeSpan.FromMinutes(29));
        await watchdog.CheckAsync(Ct);
        Assert.Empty(watchdog.Report().Warnings);

        _time.Advance(TimeSpan.FromMinutes(2));
        await watchdog.CheckAsync(Ct);
        service.LogChanges();
        var warnings = watchdog.Report().Warnings;
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.StartsWith($"WABA {GraphStub.WabaId}: no event for more than 30 min", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith($"Phone number {PhoneNumberId} (WABA {GraphStub.WabaId}): no event for more than 30 min", StringComparison.Ordinal));
        Assert.Equal(2, _log.Lines.Count(l => l.Level == LogLevel.Warning));

        _store.Add(GraphStub.WabaId, PhoneNumberId);
        await watchdog.CheckAsync(Ct);
        service.LogChanges();

        var report = watchdog.Report();
        Assert.Empty(report.Warnings);
        Assert.Equal(_time.GetUtcNow(), Waba(report).LastEventAt);
        Assert.Equal(2, _log.Lines.Count(l => l.Level == LogLevel.Information && l.Message.Contains("cleared", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Before_any_event_silence_counts_from_the_start_and_zero_turns_it_off()
    {
        var (watchdog, _) = Create(silence: TimeSpan.FromHours(1));
        var (quiet, _) = Create(silence: TimeSpan.Zero);
        await watchdog.CheckAsync(Ct);
        Assert.Empty(watchdog.Report().Warnings);

        _time.Advance(TimeSpan.FromHours(2));
        await watchdog.CheckAsync(Ct);
        await quiet.CheckAsync(Ct);

        Assert.Contains("none since the watchdog started", Assert.Single(watchdog.Report().Warnings), StringComparison.Ordinal);
        Assert.Empty(quiet.Report().Warnings);
    }

    [Fact]
    public async Task The_watchdog_added_with_AddSubscriptionWatchdog_calls_Graph_through_the_named_client_the_user_configures()
    {
        var seen = new SeenRequests();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddWabaHooks(_ => { }).AddSubscriptionWatchdog(o =>
        {
            o.WabaIds.Add(GraphStub.WabaId);
            o.Graph = new GraphClientOptions { BaseUrl = _graph.BaseUrl, AccessToken = Token, MaxRetries = 0 };
        });
        services.Replace(ServiceDescriptor.Singleton<IEventStore>(_store.Store));
        services.AddHttpClient(WabaHooksHttpClients.Graph).AddHttpMessageHandler(seen.NewHandler);
        await using var provider = services.BuildServiceProvider();

        var watchdog = provider.GetRequiredService<SubscriptionWatchdog>();
        await watchdog.CheckAsync(Ct);

        Assert.Equal("subscribed", Waba(watchdog.Report()).Subscription);
        Assert.Equal([("GET", new Uri(_graph.BaseUrl, $"/v24.0/{GraphStub.WabaId}/subscribed_apps"))], seen.All);
    }

    [Fact]
    public void Watching_without_a_token_is_an_error_that_says_how_to_fix_it()
    {
        var options = new WatchdogOptions { Graph = new GraphClientOptions(), SubscriptionCheckInterval = TimeSpan.Zero };
        options.WabaIds.Add(GraphStub.WabaId);

        // An empty environment, whatever the developer's machine holds.
        var errors = options.Validate(_ => null);

        Assert.Contains(errors, e => e.Contains("SubscriptionCheckInterval", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("WABAHOOKS_ACCESS_TOKEN", StringComparison.Ordinal));
    }
}
