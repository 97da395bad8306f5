using System.Text;
using WabaHooks.Events;
using WabaHooks.Sinks;

namespace WabaHooks.Tests.Sinks;

public sealed class SinkRouterTests
{
    private static WabaEvent Event(string type, string field = "messages", bool isTest = false) => new()
    {
        Id = "msg:wamid.1",
        Type = type,
        Kind = WabaEventKind.Message,
        Field = field,
        WabaId = "waba-1",
        PhoneNumberId = "phone-1",
        DeliveryId = 1,
        Position = 0,
        IsTest = isTest,
        Payload = new object(),
        RawJson = Encoding.UTF8.GetBytes("{}"),
    };

    private static SinkRegistration Sink(string name, params string[] types) => new(name, new EventFilter { Types = types });

    [Fact]
    public void Each_event_goes_to_exactly_the_sinks_whose_filter_matches_it_in_registration_order()
    {
        var router = new SinkRouter([Sink("all"), Sink("statuses", "statuses.*"), Sink("text", "messages.text"), Sink("read", "statuses.read")]);

        Assert.Equal(["all", "text"], router.Route(Event("messages.text")));
        Assert.Equal(["all", "statuses", "read"], router.Route(Event("statuses.read")));
        Assert.Equal(["all", "statuses"], router.Route(Event("statuses.sent")));
        Assert.Equal(["all"], router.Route(Event("messages.image")));
        Assert.Empty(router.Route(Event("messages.text", isTest: true)));
    }

    [Fact]
    public void Events_routed_to_the_same_sinks_share_one_list_of_names()
    {
        var router = new SinkRouter([Sink("all"), Sink("statuses", "statuses.*")]);

        var first = router.Route(Event("statuses.read"));
        var second = router.Route(Event("statuses.delivered"));

        Assert.Same(first, second);
        Assert.NotSame(first, router.Route(Event("messages.text")));
        Assert.Equal(["all"], router.Route(Event("messages.text")));
    }

    [Fact]
    public void More_sinks_than_one_routing_mask_holds_are_still_routed_exactly()
    {
        var sinks = Enumerable.Range(0, 70).Select(i => Sink($"sink-{i}", i % 2 == 0 ? [] : ["statuses.*"])).ToArray();
        var router = new SinkRouter(sinks);

        Assert.Equal(sinks.Where((_, i) => i % 2 == 0).Select(s => s.Name), router.Route(Event("messages.text")));
        Assert.Equal(sinks.Select(s => s.Name), router.Route(Event("statuses.read")));
    }
}
