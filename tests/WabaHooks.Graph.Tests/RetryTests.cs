using System.Net;
using WabaHooks.Graph.Tests.Support;
using WabaHooks.Testing.Graph;

namespace WabaHooks.Graph.Tests;

public sealed class RetryTests
{
    private static readonly TimeSpan ClockRequestTimeout = TimeSpan.FromHours(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Too_many_requests_then_success_is_retried_once()
    {
        await using var graph = await StubbedGraph.StartAsync();
        graph.Stub.Enqueue(ScriptedReply.Error(429, 4, "(#4) Application request limit reached"));

        await graph.Client.SubscribeWabaAsync(GraphStub.WabaId, Ct);

        Assert.Equal(2, graph.Requests.Count);
        Assert.All(graph.Requests, r => Assert.Equal(("POST", "/v24.0/109876543210001/subscribed_apps"), (r.Method, r.Path)));
    }

    [Fact]
    public async Task Server_error_then_success_is_retried_and_resends_the_same_body()
    {
        await using var graph = await StubbedGraph.StartAsync();
        graph.Stub.Enqueue(ScriptedReply.Error(500, 1, "An unknown error occurred"));

        await graph.Client.SetWabaOverrideAsync(GraphStub.WabaId, "https://a.example/w", "v", Ct);

        Assert.Equal(2, graph.Requests.Count);
        Assert.Equal(graph.Requests[0].Body, graph.Requests[1].Body);
        Assert.Equal("https://a.example/w", Assert.Single(await graph.Client.GetWabaSubscriptionsAsync(GraphStub.WabaId, Ct)).OverrideCallbackUri);
    }

    [Fact]
    public async Task Transient_error_with_status_400_then_success_is_retried()
    {
        await using var graph = await StubbedGraph.StartAsync();
        graph.Stub.Enqueue(ScriptedReply.Error(400, 2, "An unexpected error has occurred. Please retry your request later.", isTransient: true));

        var apps = await graph.Client.GetAppSubscriptionsAsync(GraphStub.AppId, Ct);

        Assert.Empty(apps);
        Assert.Equal(2, graph.Requests.Count);
    }

    [Fact]
    public async Task Request_timeout_408_then_success_is_retried()
    {
        await using var graph = await StubbedGraph.StartAsync();
        graph.Stub.Enqueue(new ScriptedReply(408, "", "text/plain"));

        await graph.Client.UnsubscribeWabaAsync(GraphStub.WabaId, Ct);

        Assert.Equal(2, graph.Requests.Count);
    }

    [Fact]
    public async Task Permanent_400_is_not_retried()
    {
        await using var graph = await StubbedGraph.StartAsync();
        graph.Stub.Enqueue(ScriptedReply.Error(400, 100, "(#100) Invalid parameter"));

        var exception = await Assert.ThrowsAsync<GraphApiException>(() => graph.Client.SubscribeWabaAsync(GraphStub.WabaId, Ct));

        Assert.Single(graph.Requests);
        Assert.Equal(1, exception.Attempts);
        Assert.Equal(100, exception.Code);
    }

    [Fact]
    public async Task Retries_stop_after_MaxRetries_and_the_last_error_is_thrown()
    {
        await using var graph = await StubbedGraph.StartAsync(o => o.MaxRetries = 2);
        for (var i = 0; i < 5; i++)
        {
            graph.Stub.Enqueue(ScriptedReply.Error(503, 2, "Service temporarily unavailable", isTransient: true));
        }

        var exception = await Assert.ThrowsAsync<GraphApiException>(() => graph.Client.UnsubscribeWabaAsync(GraphStub.WabaId, Ct));

        Assert.Equal(3, graph.Requests.Count);
        Assert.Equal(3, exception.Attempts);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, exception.StatusCode);
        Assert.True(exception.IsTransient);
    }

    [Fact]
    public async Task MaxRetries_zero_sends_once()
    {
        await using var graph = await StubbedGraph.StartAsync(o => o.MaxRetries = 0);
        graph.Stub.Enqueue(ScriptedReply.Error(500, 1, "An unknown error occurred"));

        await Assert.ThrowsAsync<GraphApiException>(() => graph.Client.SubscribeWabaAsync(GraphStub.WabaId, Ct));

        Assert.Single(graph.Requests);
    }

    [Fact]
    public async Task Backoff_grows_exponentially_with_jitter_through_the_time_provider()
    {
        var clock = new BackoffClock(ClockRequestTimeout);
        await using var graph = await StubbedGraph.StartAsync(o =>
        {
            UseClock(o);
            o.MaxRetries = 5;
        }, clock);
        for (var i = 0; i < 5; i++)
        {
            graph.Stub.Enqueue(ScriptedReply.Error(500, 1, "An unknown error occurred"));
        }

        var waits = await clock.RunAsync(graph.Client.SubscribeWabaAsync(GraphStub.WabaId, Ct), Ct);

        Assert.Equal(6, graph.Requests.Count);
        Assert.Equal(5, waits.Count);
        Assert.All(waits, w => Assert.InRange(w, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(30)));
        // Five retries from a 1 s base wait about 2^5 / 1.4 s in all with Polly's jittered exponential backoff, against
        // 5 s for a constant one and 31 s for plain doubling; jitter spreads each wait, not the growth.
        var total = waits.Aggregate(TimeSpan.Zero, (sum, w) => sum + w);
        Assert.InRange(total, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(25));
    }

    [Fact]
    public async Task Backoff_never_waits_longer_than_MaxRetryDelay()
    {
        var clock = new BackoffClock(ClockRequestTimeout);
        await using var graph = await StubbedGraph.StartAsync(o =>
        {
            UseClock(o);
            o.MaxRetries = 6;
            o.MaxRetryDelay = TimeSpan.FromSeconds(2);
        }, clock);
        for (var i = 0; i < 6; i++)
        {
            graph.Stub.Enqueue(ScriptedReply.Error(503, 2, "Service temporarily unavailable"));
        }

        var waits = await clock.RunAsync(graph.Client.GetWabaSubscriptionsAsync(GraphStub.WabaId, Ct), Ct);

        Assert.Equal(6, waits.Count);
        Assert.All(waits, w => Assert.InRange(w, TimeSpan.Zero, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task Retry_after_in_seconds_is_honoured()
    {
        var clock = new BackoffClock(ClockRequestTimeout);
        await using var graph = await StubbedGraph.StartAsync(UseClock, clock);
        graph.Stub.Enqueue(ScriptedReply.Error(429, 80007, "Rate limit hit") with { RetryAfter = "7" });

        var waits = await clock.RunAsync(graph.Client.GetWabaSubscriptionsAsync(GraphStub.WabaId, Ct), Ct);

        Assert.Equal([TimeSpan.FromSeconds(7)], waits);
        Assert.Equal(2, graph.Requests.Count);
    }

    [Fact]
    public async Task Retry_after_is_honoured_on_every_retry_and_retries_stop_after_MaxRetries()
    {
        var clock = new BackoffClock(ClockRequestTimeout);
        await using var graph = await StubbedGraph.StartAsync(o =>
        {
            UseClock(o);
            o.MaxRetries = 2;
        }, clock);
        for (var i = 0; i < 4; i++)
        {
            graph.Stub.Enqueue(ScriptedReply.Error(429, 80007, "Rate limit hit") with { RetryAfter = "7" });
        }

        var call = graph.Client.GetWabaSubscriptionsAsync(GraphStub.WabaId, Ct);
        var waits = await clock.RunAsync(call, Ct);

        var exception = await Assert.ThrowsAsync<GraphApiException>(() => call);
        Assert.Equal([TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7)], waits);
        Assert.Equal(3, graph.Requests.Count);
        Assert.Equal((3, HttpStatusCode.TooManyRequests, 80007), (exception.Attempts, exception.StatusCode, exception.Code));
    }

    [Fact]
    public async Task Retry_after_as_a_date_is_measured_on_the_time_provider()
    {
        var clock = new BackoffClock(ClockRequestTimeout);
        await using var graph = await StubbedGraph.StartAsync(UseClock, clock);
        var date = clock.GetUtcNow().AddSeconds(12).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        graph.Stub.Enqueue(ScriptedReply.Error(503, 2, "Service temporarily unavailable") with { RetryAfter = date });

        var waits = await clock.RunAsync(graph.Client.GetWabaSubscriptionsAsync(GraphStub.WabaId, Ct), Ct);

        Assert.Equal([TimeSpan.FromSeconds(12)], waits);
    }

    [Fact]
    public async Task Retry_after_is_bounded_by_MaxRetryDelay()
    {
        var clock = new BackoffClock(ClockRequestTimeout);
        await using var graph = await StubbedGraph.StartAsync(UseClock, clock);
        graph.Stub.Enqueue(ScriptedReply.Error(429, 4, "(#4) Application request limit reached") with { RetryAfter = "86400" });

        var waits = await clock.RunAsync(graph.Client.SubscribeWabaAsync(GraphStub.WabaId, Ct), Ct);

        Assert.Equal([TimeSpan.FromSeconds(30)], waits);
    }

    [Fact]
    public async Task Cancelling_during_a_backoff_wait_stops_the_call()
    {
        var clock = new BackoffClock(ClockRequestTimeout);
        await using var graph = await StubbedGraph.StartAsync(UseClock, clock);
        graph.Stub.Enqueue(ScriptedReply.Error(500, 1, "An unknown error occurred"));
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var call = graph.Client.SubscribeWabaAsync(GraphStub.WabaId, cancellation.Token);
        await clock.NextWaitAsync(Ct);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Single(graph.Requests);
    }

    [Fact]
    public async Task A_request_that_hangs_is_abandoned_after_the_timeout_and_retried()
    {
        await using var graph = await StubbedGraph.StartAsync(o => o.RequestTimeout = TimeSpan.FromMilliseconds(300));
        graph.Stub.Enqueue(new ScriptedReply(200, """{"success":true}""") { Hang = TimeSpan.FromSeconds(30) });

        await graph.Client.SubscribeWabaAsync(GraphStub.WabaId, Ct).WaitAsync(TimeSpan.FromSeconds(20), Ct);

        Assert.Equal(2, graph.Requests.Count);
    }

    [Fact]
    public async Task A_request_that_always_hangs_ends_in_a_timeout_exception_without_secrets()
    {
        await using var graph = await StubbedGraph.StartAsync(o =>
        {
            o.RequestTimeout = TimeSpan.FromMilliseconds(200);
            o.MaxRetries = 1;
        });
        graph.Stub.Enqueue(new ScriptedReply(200, """{"data":[]}""") { Hang = TimeSpan.FromSeconds(30) });
        graph.Stub.Enqueue(new ScriptedReply(200, """{"data":[]}""") { Hang = TimeSpan.FromSeconds(30) });

        var exception = await Assert.ThrowsAsync<TimeoutException>(
            () => graph.Client.GetAppSubscriptionsAsync(GraphStub.AppId, Ct).WaitAsync(TimeSpan.FromSeconds(20), Ct));

        Assert.Equal(2, graph.Requests.Count);
        Assert.Contains("GET /v24.0/1234567890/subscriptions", exception.Message, StringComparison.Ordinal);
        Assert.Contains("2 attempts", exception.Message, StringComparison.Ordinal);
        Secrets.AssertAbsent(exception);
    }

    [Fact]
    public async Task A_server_that_refuses_connections_is_retried_then_the_connection_error_is_thrown()
    {
        var options = StubbedGraph.TestOptions(new Uri($"http://127.0.0.1:{WabaHooks.Testing.FreePort.Next()}"));
        options.MaxRetries = 1;
        using var httpClient = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var client = new GraphClient(httpClient, options);

        var exception = await Assert.ThrowsAsync<HttpRequestException>(
            () => client.GetAppSubscriptionsAsync(GraphStub.AppId, Ct).WaitAsync(TimeSpan.FromSeconds(20), Ct));

        Secrets.AssertAbsent(exception);
    }

    [Fact]
    public async Task Options_changed_after_the_client_is_made_do_not_change_it()
    {
        var options = default(GraphClientOptions);
        await using var graph = await StubbedGraph.StartAsync(o =>
        {
            o.MaxRetries = 0;
            options = o;
        });
        options!.MaxRetries = 5;
        options.Version = "v1.0";
        graph.Stub.Enqueue(ScriptedReply.Error(500, 1, "An unknown error occurred"));

        await Assert.ThrowsAsync<GraphApiException>(() => graph.Client.SubscribeWabaAsync(GraphStub.WabaId, Ct));

        Assert.Equal("/v24.0/109876543210001/subscribed_apps", Assert.Single(graph.Requests).Path);
    }

    private static void UseClock(GraphClientOptions options)
    {
        options.BackoffBaseDelay = TimeSpan.FromSeconds(1);
        options.MaxRetryDelay = TimeSpan.FromSeconds(30);
        options.RequestTimeout = ClockRequestTimeout;
    }
}
