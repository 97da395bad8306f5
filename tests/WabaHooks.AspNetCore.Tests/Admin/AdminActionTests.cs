using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WabaHooks.AspNetCore.Admin;
using WabaHooks.AspNetCore.Tests.Destinations;
using WabaHooks.AspNetCore.Tests.Handlers;
using WabaHooks.Hosting.Admin;
using WabaHooks.Hosting.Sinks;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;

namespace WabaHooks.AspNetCore.Tests.Admin;

public sealed class AdminActionTests
{
    private const string Crm = "destination:crm";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<TestGateway> StartAsync(TempDirectory dir, DestinationServer server, TestClock? clock = null, Action<IServiceCollection>? services = null) =>
        AdminGateway.StartAsync(dir.Path, clock: clock, hooks: b =>
        {
            // Gives up after a short window, so a failing event becomes a dead letter within a second.
            b.AddDestination(Destinations.Destinations.Event("crm", server, d => d.Retry.Window = TimeSpan.FromMilliseconds(300)));
            services?.Invoke(b.Services);
        });

    [Fact]
    public async Task A_dead_letter_retried_by_an_operator_gets_a_new_attempt_that_succeeds_once_the_receiver_is_back()
    {
        using var dir = new TempDirectory();
        await using var server = await DestinationServer.StartAsync();
        server.Respond = (_, _, _) => Task.FromResult<int?>(500);
        await using var gateway = await StartAsync(dir, server);
        using var client = AdminGateway.Client(gateway, AdminGateway.OperatorToken);
        var body = ExamplePayloads.Read("messages-text.json");
        var key = Payload.MessageKey(body);
        await gateway.PostAsync(body);
        var dead = (await Await.UntilAsync(() => client.GetJsonAsync<PageJson<DeadLetterJson>>("/admin/api/dead-letters"), d => d.Items.Count == 1, "the dead letter")).Items;
        var failing = await client.GetJsonAsync<PageJson<EventJson>>($"/admin/api/events?destination={Crm}&outcome=dead&status=500");

        server.Respond = (_, _, _) => Task.FromResult<int?>(200);
        var (status, retried) = await client.PostJsonAsync<CountJson>("/admin/api/retry", new RetryRequestJson(key, Crm));

        Assert.Equal((key, Crm), (dead[0].EventId, dead[0].Sink));
        Assert.Equal([key], failing.Items.Select(e => e.Id));
        Assert.Equal((200, 1L), (status, retried!.Count));
        var detail = await Await.UntilAsync(() => client.GetJsonAsync<EventDetailJson>($"/admin/api/events/{Uri.EscapeDataString(key)}"), d => d.Event.Sinks.Single().State == "delivered", "the retried attempt");
        Assert.False(detail.Attempts[0].Succeeded);
        Assert.Equal(500, detail.Attempts[0].StatusCode);
        Assert.True(detail.Attempts[^1].Succeeded);
        var destination = (await client.GetJsonAsync<IReadOnlyList<DestinationJson>>("/admin/api/destinations")).Single();
        Assert.Equal((Crm, true, 0L, 1L), (destination.Name, destination.Registered, destination.Dead, destination.Delivered));
        Assert.Equal(detail.Attempts.Count, destination.Attempts);
        Assert.Equal(1.0 / detail.Attempts.Count, destination.SuccessRate!.Value, 3);
        Assert.NotNull(destination.LatencyP95Ms);
        Assert.Equal("closed", destination.Circuit);
        var audit = await client.GetJsonAsync<PageJson<AuditJson>>("/admin/api/audit");
        Assert.Equal(("retry", $"{Crm} {key}", 1L), (audit.Items[0].Action, audit.Items[0].Target, audit.Items[0].Count));
    }

    [Fact]
    public async Task A_replay_sends_a_delivered_event_again_with_its_original_idempotency_key()
    {
        using var dir = new TempDirectory();
        await using var server = await DestinationServer.StartAsync();
        await using var gateway = await StartAsync(dir, server);
        using var client = AdminGateway.Client(gateway, AdminGateway.OperatorToken);
        var body = ExamplePayloads.Read("messages-text.json");
        var key = Payload.MessageKey(body);
        await gateway.PostAsync(body);
        await server.WaitUntilAsync(r => r.Count == 1, Await.Bound, "the first delivery");

        var (status, replay) = await client.PostJsonAsync<ReplayJson>("/admin/api/replay", new ReplayRequestJson(Crm, [key, "msg:unknown"]));
        await server.WaitUntilAsync(r => r.Count == 2, Await.Bound, "the replay");

        Assert.Equal((200, 1, 1), (status, replay!.Queued, replay.Skipped));
        Assert.Equal([key, key], server.Received.Select(Received.KeyOfEvent));
        var retry = await client.PostJsonAsync<CountJson>("/admin/api/retry", new RetryRequestJson(key, Crm));
        Assert.Equal(0, retry.Body!.Count); // Delivered: a retry has nothing to do; sending again is a replay.
    }

    [Fact]
    public async Task A_destination_test_reports_its_answer_and_is_audited_with_the_outcome()
    {
        using var dir = new TempDirectory();
        await using var server = await DestinationServer.StartAsync();
        await using var gateway = await StartAsync(dir, server);
        using var client = AdminGateway.Client(gateway, AdminGateway.OperatorToken);

        var (status, taken) = await client.PostJsonAsync<DestinationTestJson>($"/admin/api/destinations/{Crm}/test", null);
        Assert.Equal((200, true, 200), (status, taken!.Succeeded, taken.StatusCode));
        Assert.StartsWith("HTTP 200 in ", taken.Summary, StringComparison.Ordinal);
        var request = Assert.Single(server.Received);
        Assert.NotNull(request.Header("webhook-signature"));

        server.Respond = static (_, _, _) => Task.FromResult<int?>(503);
        var (_, refused) = await client.PostJsonAsync<DestinationTestJson>("/admin/api/destinations/crm/test", null);
        Assert.Equal((false, 503), (refused!.Succeeded, refused.StatusCode));
        var (unknown, _) = await client.PostJsonAsync<DestinationTestJson>("/admin/api/destinations/nowhere/test", null);
        Assert.Equal(400, unknown);

        // A viewer may not send tests.
        using var viewer = AdminGateway.Client(gateway, AdminGateway.ViewerToken);
        Assert.Equal(403, (await viewer.PostJsonAsync<DestinationTestJson>($"/admin/api/destinations/{Crm}/test", null)).Status);
        var audit = await client.GetJsonAsync<PageJson<AuditJson>>("/admin/api/audit");
        Assert.Equal([("test", 0L), ("test", 1L)], audit.Items.Select(e => (e.Action, e.Count)));
        Assert.Equal(2, server.Received.Count);
    }

    [Fact]
    public async Task A_paused_destination_holds_its_events_until_it_is_resumed()
    {
        using var dir = new TempDirectory();
        await using var server = await DestinationServer.StartAsync();
        await using var gateway = await StartAsync(dir, server);
        using var client = AdminGateway.Client(gateway, AdminGateway.OperatorToken);
        Assert.Equal(1, (await client.PostJsonAsync<CountJson>($"/admin/api/destinations/{Crm}/pause", null)).Body!.Count);

        await gateway.PostAsync(ExamplePayloads.Read("messages-text.json"));
        await AdminGateway.ProcessedAsync(gateway, 1);
        var paused = (await client.GetJsonAsync<IReadOnlyList<DestinationJson>>("/admin/api/destinations")).Single();
        Assert.Equal((true, 1L, 0), (paused.Paused, paused.Pending, paused.Attempts));

        Assert.Equal(1, (await client.PostJsonAsync<CountJson>($"/admin/api/destinations/{Crm}/resume", null)).Body!.Count);
        await server.WaitUntilAsync(r => r.Count == 1, Await.Bound, "the held event, once resumed");
        var audit = await client.GetJsonAsync<PageJson<AuditJson>>("/admin/api/audit");
        Assert.Equal(["resume", "pause"], audit.Items.Select(e => e.Action));
    }

    [Fact]
    public async Task A_bulk_replay_answers_the_count_first_then_runs_as_a_job_with_progress_that_can_be_aborted()
    {
        using var dir = new TempDirectory();
        var clock = new TestClock();
        await using var server = await DestinationServer.StartAsync();
        // Two events a chunk, and the job waits on the test clock between chunks: each step is the test's to take.
        await using var gateway = await StartAsync(dir, server, clock, s => s.Replace(ServiceDescriptor.Singleton(sp =>
            new WabaHooksOperations(sp.GetRequiredService<WabaHooksQueries>(), sp.GetRequiredService<BulkJobs>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<SinkWorkSignal>()) { ChunkSize = 2 })));
        using var client = AdminGateway.Client(gateway, AdminGateway.OperatorToken);
        for (var i = 1; i <= 5; i++)
        {
            await gateway.PostAsync(Payload.WithWamid("messages-text.json", $"wamid.bulk{i}"));
        }

        await gateway.PostAsync(ExamplePayloads.Read("account_update-volume-tier.json"));
        await server.WaitUntilAsync(r => r.Count == 6, Await.Bound, "the first deliveries");
        var request = new BulkRequestJson("replay", Crm, new FilterJson(Type: "messages.text"));

        var count = await client.PostJsonAsync<CountJson>("/admin/api/bulk/count", request);
        var (status, started) = await client.PostJsonAsync<JobJson>("/admin/api/bulk", request);
        var firstChunk = await Await.UntilAsync(() => client.GetJsonAsync<JobJson>($"/admin/api/bulk/{started!.Id}"), j => j.Processed == 2, "the first chunk");
        var aborting = await client.PostJsonAsync<JobJson>($"/admin/api/bulk/{started!.Id}/abort", null);
        var aborted = await Await.UntilAsync(() => client.GetJsonAsync<JobJson>($"/admin/api/bulk/{started.Id}"), j => j.State != "running", "the job to stop");

        Assert.Equal(5, count.Body!.Count);
        Assert.Equal((202, 5L, "running"), (status, started.Total, started.State));
        Assert.Equal("running", firstChunk.State);
        Assert.Equal(200, aborting.Status);
        Assert.Equal(("aborted", 2L, 2L), (aborted.State, aborted.Processed, aborted.Affected));
        await clock.AdvanceUntilAsync(TimeSpan.FromMilliseconds(20), () => server.Received.Count == 8, "the two replayed events");
        Assert.Equal(["msg:wamid.bulk4", "msg:wamid.bulk5"], server.Received.Skip(6).Select(Received.KeyOfEvent).Order());
        var audit = await client.GetJsonAsync<PageJson<AuditJson>>("/admin/api/audit");
        Assert.Equal([("bulk-replay", 2L), ("bulk-replay", 5L)], audit.Items.Select(e => (e.Action, e.Count)));
        Assert.Contains("aborted: 2 of 5 events", audit.Items[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bulk_retry_of_failed_events_runs_to_completion_and_each_pair_gets_a_new_attempt()
    {
        using var dir = new TempDirectory();
        var clock = new TestClock();
        await using var server = await DestinationServer.StartAsync();
        server.Respond = (_, _, _) => Task.FromResult<int?>(503);
        await using var gateway = await StartAsync(dir, server, clock, s => s.Replace(ServiceDescriptor.Singleton(sp =>
            new WabaHooksOperations(sp.GetRequiredService<WabaHooksQueries>(), sp.GetRequiredService<BulkJobs>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<SinkWorkSignal>()) { ChunkSize = 2 })));
        using var client = AdminGateway.Client(gateway, AdminGateway.OperatorToken);
        for (var i = 1; i <= 3; i++)
        {
            await gateway.PostAsync(Payload.WithWamid("messages-text.json", $"wamid.retry{i}"));
        }

        await clock.AdvanceUntilAsync(TimeSpan.FromMilliseconds(100), async () =>
            (await client.GetJsonAsync<PageJson<DeadLetterJson>>("/admin/api/dead-letters")).Items.Count == 3, "three dead letters");
        var received = server.Received.Count;
        server.Respond = (_, _, _) => Task.FromResult<int?>(200);
        var request = new BulkRequestJson("retry", Crm, new FilterJson(Status: 503));

        var count = await client.PostJsonAsync<CountJson>("/admin/api/bulk/count", request);
        var (_, started) = await client.PostJsonAsync<JobJson>("/admin/api/bulk", request);
        await clock.AdvanceUntilAsync(TimeSpan.FromMilliseconds(50), async () =>
            (await client.GetJsonAsync<JobJson>($"/admin/api/bulk/{started!.Id}")).State == "completed", "the job to complete");
        await clock.AdvanceUntilAsync(TimeSpan.FromMilliseconds(50), () => server.Received.Count == received + 3, "the three retried attempts");

        Assert.Equal(3, count.Body!.Count);
        var done = await client.GetJsonAsync<JobJson>($"/admin/api/bulk/{started!.Id}");
        Assert.Equal((3L, 3L, 3L), (done.Total, done.Processed, done.Affected));
        Assert.Empty((await client.GetJsonAsync<PageJson<DeadLetterJson>>("/admin/api/dead-letters")).Items);
    }
}
