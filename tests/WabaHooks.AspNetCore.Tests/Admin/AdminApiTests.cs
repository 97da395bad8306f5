using Microsoft.Extensions.DependencyInjection;
using System.Net;
using WabaHooks.AspNetCore.Admin;
using WabaHooks.AspNetCore.Tests.Handlers;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;

namespace WabaHooks.AspNetCore.Tests.Admin;

public sealed class AdminApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_cursor_page_of_events_stays_the_same_while_new_deliveries_arrive()
    {
        using var dir = new TempDirectory();
        await using var gateway = await AdminGateway.StartAsync(dir.Path);
        using var client = AdminGateway.Client(gateway, AdminGateway.ViewerToken);
        for (var i = 1; i <= 5; i++)
        {
            await gateway.PostAsync(Payload.WithWamid("messages-text.json", $"wamid.page{i}"));
        }

        await AdminGateway.ProcessedAsync(gateway, 5);

        var first = await client.GetJsonAsync<PageJson<EventJson>>("/admin/api/events?limit=2");
        await gateway.PostAsync(Payload.WithWamid("messages-text.json", "wamid.page6"));
        await gateway.PostAsync(Payload.WithWamid("messages-text.json", "wamid.page7"));
        await AdminGateway.ProcessedAsync(gateway, 7);
        var second = await client.GetJsonAsync<PageJson<EventJson>>($"/admin/api/events?limit=2&cursor={first.Next}");
        var last = await client.GetJsonAsync<PageJson<EventJson>>($"/admin/api/events?limit=2&cursor={second.Next}");
        var fresh = await client.GetJsonAsync<PageJson<EventJson>>("/admin/api/events?limit=2");

        Assert.Equal(["msg:wamid.page5", "msg:wamid.page4"], first.Items.Select(e => e.Id));
        Assert.Equal(["msg:wamid.page3", "msg:wamid.page2"], second.Items.Select(e => e.Id));
        Assert.Equal(["msg:wamid.page1"], last.Items.Select(e => e.Id));
        Assert.Null(last.Next);
        Assert.Equal(["msg:wamid.page7", "msg:wamid.page6"], fresh.Items.Select(e => e.Id));
    }

    [Fact]
    public async Task A_cursor_page_of_dead_letters_stays_the_same_while_new_ones_die_and_a_foreign_cursor_answers_400()
    {
        using var dir = new TempDirectory();
        await using var server = await DestinationServer.StartAsync();
        server.Respond = (_, _, _) => Task.FromResult<int?>(500);
        // Gives up after a short window, so each event becomes a dead letter within a second.
        await using var gateway = await AdminGateway.StartAsync(dir.Path, hooks: b =>
            b.AddDestination(Destinations.Destinations.Event("crm", server, d => d.Retry.Window = TimeSpan.FromMilliseconds(300))));
        using var client = AdminGateway.Client(gateway, AdminGateway.ViewerToken);
        for (var i = 1; i <= 3; i++)
        {
            await gateway.PostAsync(Payload.WithWamid("messages-text.json", $"wamid.dead{i}"));
        }

        await Await.UntilAsync(() => client.GetJsonAsync<PageJson<DeadLetterJson>>("/admin/api/dead-letters"), d => d.Items.Count == 3, "three dead letters");
        var first = await client.GetJsonAsync<PageJson<DeadLetterJson>>("/admin/api/dead-letters?limit=2");
        await gateway.PostAsync(Payload.WithWamid("messages-text.json", "wamid.dead4"));
        await Await.UntilAsync(() => client.GetJsonAsync<PageJson<DeadLetterJson>>("/admin/api/dead-letters"), d => d.Items.Count == 4, "the fourth dead letter");
        var second = await client.GetJsonAsync<PageJson<DeadLetterJson>>($"/admin/api/dead-letters?limit=2&cursor={first.Next}");
        var fresh = await client.GetJsonAsync<PageJson<DeadLetterJson>>("/admin/api/dead-letters?destination=destination:crm");
        using var foreign = await client.GetAsync("/admin/api/dead-letters?cursor=12", Ct);
        var document = await client.GetStringAsync("/admin/openapi/v1.json", Ct);

        string[] firstThree = ["msg:wamid.dead1", "msg:wamid.dead2", "msg:wamid.dead3"];
        Assert.Equal(2, first.Items.Count);
        Assert.NotNull(first.Next);
        Assert.Equal(firstThree, first.Items.Concat(second.Items).Select(d => d.EventId).Order());
        Assert.Null(second.Next);
        Assert.Equal("msg:wamid.dead4", fresh.Items[0].EventId);
        Assert.Equal(fresh.Items.OrderByDescending(d => d.DeadAt).Select(d => d.EventId), fresh.Items.Select(d => d.EventId));
        Assert.All(fresh.Items, d => Assert.Equal("destination:crm", d.Sink));
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Contains("PageJsonOfDeadLetterJson", document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_string_filters_and_search_reach_the_store_and_bad_values_answer_400_with_every_problem()
    {
        using var dir = new TempDirectory();
        await using var gateway = await AdminGateway.StartAsync(dir.Path);
        using var client = AdminGateway.Client(gateway, AdminGateway.ViewerToken);
        var status = ExamplePayloads.Read("messages-status-read.json");
        var wamid = (string)Payload.Value(status)["statuses"]![0]!["id"]!;
        await gateway.PostAsync(ExamplePayloads.Read("messages-text.json"));
        await gateway.PostAsync(status);
        await gateway.PostAsync(ExamplePayloads.Read("account_update-volume-tier.json"));
        await AdminGateway.ProcessedAsync(gateway, 3);

        var statuses = await client.GetJsonAsync<PageJson<EventJson>>("/admin/api/events?type=statuses.*");
        var found = await client.GetJsonAsync<PageJson<EventJson>>($"/admin/api/events?q={Uri.EscapeDataString(wamid)}");
        var accounts = await client.GetJsonAsync<PageJson<EventJson>>("/admin/api/events?field=account_update");
        var count = await client.GetJsonAsync<CountJson>("/admin/api/events/count?field=messages");
        var unrouted = await client.GetJsonAsync<PageJson<EventJson>>("/admin/api/unrouted");
        using var bad = await client.GetAsync("/admin/api/events?outcome=sometimes&status=abc&limit=0", Ct);
        var problem = await bad.Content.ReadAsStringAsync(Ct);

        Assert.Equal(["statuses.read"], statuses.Items.Select(e => e.Type));
        Assert.Equal(statuses.Items.Select(e => e.Id), found.Items.Select(e => e.Id));
        Assert.Equal(["account_update"], accounts.Items.Select(e => e.Field));
        Assert.Equal(2, count.Count);
        Assert.Equal(3, unrouted.Items.Count); // No destination or handler: every event is unrouted.
        Assert.All(unrouted.Items, e => Assert.Empty(e.Sinks));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("outcome 'sometimes'", problem, StringComparison.Ordinal);
        Assert.Contains("status 'abc'", problem, StringComparison.Ordinal);
        Assert.Contains("limit must be between", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_detail_carries_its_payload_and_delivery_and_a_wamid_its_status_timeline()
    {
        using var dir = new TempDirectory();
        await using var gateway = await AdminGateway.StartAsync(dir.Path);
        using var client = AdminGateway.Client(gateway, AdminGateway.ViewerToken);
        var delivered = ExamplePayloads.Read("messages-status-delivered.json");
        var read = ExamplePayloads.Read("messages-status-read.json");
        var wamid = (string)Payload.Value(read)["statuses"]![0]!["id"]!;
        await gateway.PostAsync(delivered);
        await gateway.PostAsync(read);
        await AdminGateway.ProcessedAsync(gateway, 2);
        var row = (await client.GetJsonAsync<PageJson<EventJson>>("/admin/api/events?type=statuses.read")).Items.Single();

        var detail = await client.GetJsonAsync<EventDetailJson>($"/admin/api/events/{Uri.EscapeDataString(row.Id)}");
        var delivery = await client.GetJsonAsync<DeliveryDetailJson>($"/admin/api/deliveries/{row.DeliveryId}");
        var raw = await client.GetByteArrayAsync($"/admin/api/deliveries/{row.DeliveryId}/raw", Ct);
        var message = await client.GetJsonAsync<MessageJson>($"/admin/api/messages/{Uri.EscapeDataString(wamid)}");
        using var missing = await client.GetAsync("/admin/api/events/no-such-event", Ct);

        Assert.Equal(wamid, detail.Payload!.Value.GetProperty("id").GetString());
        Assert.Equal(row.DeliveryId, detail.Delivery!.Id);
        Assert.Equal("app-a", detail.Delivery.AppId);
        Assert.Equal([row.Id], delivery.Events.Select(e => e.Id));
        Assert.Equal(read, raw);
        Assert.Equal("read", message.Current);
        Assert.Contains("read", message.Timeline.Select(t => t.Status));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
