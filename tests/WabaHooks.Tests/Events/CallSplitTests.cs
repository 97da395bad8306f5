using System.Text;
using WabaHooks.Events;
using WabaHooks.Payloads;
using Fixtures = WabaHooks.Testing.ExamplePayloads;
using static WabaHooks.Tests.Events.DeliverySplitterTests;

namespace WabaHooks.Tests.Events;

public sealed class CallSplitTests
{
    private const string Wacid = "wacid.HBgMNDQ3NzAwOTAwNDU2FQIAEhggQ0ExMUYwMERDMEZGRUUwMDAwMDAwMDAwMDAwMEEwMDEcGAsxNTU1MDE0MjIzMxUCABUKAA==";

    [Fact]
    public void A_calls_change_splits_into_one_event_per_call_and_status_then_its_errors()
    {
        var events = Split(Envelope("""
            {"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"P"},
              "statuses":[{"id":"wacid.B","type":"call","status":"RINGING","timestamp":"1767264003","recipient_id":"44"}],
              "calls":[{"id":"wacid.A","event":"connect","timestamp":"1767263001","session":{"sdp_type":"offer","sdp":"v=0\r\n"}},
                       {"id":"wacid.A","event":"terminate","timestamp":1767263190,"status":"COMPLETED"}],
              "errors":[{"code":138021,"message":"Media receive timeout"}]},
             "field":"calls"}
            """));

        Assert.Equal(["calls.connect", "calls.terminate", "calls.statuses.ringing", "calls.errors"], events.Select(e => e.Type));
        Assert.Equal(
            [WabaEventKind.Call, WabaEventKind.Call, WabaEventKind.CallStatus, WabaEventKind.Errors],
            events.Select(e => e.Kind));
        Assert.Equal(["call:wacid.A:connect", "call:wacid.A:terminate", "call-status:wacid.B:RINGING"], events.Take(3).Select(e => e.Id));
        Assert.StartsWith("sha256:", events[3].Id, StringComparison.Ordinal);
        Assert.All(events, e => Assert.Equal(("calls", "P"), (e.Field, e.PhoneNumberId)));
        Assert.Equal(
            [1767263001, 1767263190, 1767264003],
            events.Take(3).Select(e => e.OccurredAt!.Value.ToUnixTimeSeconds()));
        Assert.Equal("offer", Assert.IsType<CallConnect>(events[0].Payload).Session!.SdpType);
        Assert.True(Assert.IsType<CallTerminate>(events[1].Payload).IsCompleted);
        Assert.Equal("44", Assert.IsType<CallStatus>(events[2].Payload).RecipientId);
        Assert.Equal(138021, Assert.Single(Assert.IsAssignableFrom<IReadOnlyList<WhatsAppError>>(events[3].Payload)).Code);
    }

    [Fact]
    public void A_calls_change_whose_field_comes_first_splits_the_same()
    {
        const string call = """{"id":"wacid.A","event":"connect","timestamp":"1767263001"}""";

        var first = Assert.Single(Split(Envelope($$$"""{"field":"calls","value":{"calls":[{{{call}}}]}}""")));
        var last = Assert.Single(Split(Envelope($$$"""{"value":{"calls":[{{{call}}}]},"field":"calls"}""")));

        Assert.Equal(("calls.connect", "call:wacid.A:connect", call), (first.Type, first.Id, first.GetRawText()));
        Assert.Equal((first.Type, first.Id, first.GetRawText()), (last.Type, last.Id, last.GetRawText()));
    }

    [Theory]
    [InlineData("\"1767263009\"", "\"1767263190\"", "181")]
    [InlineData("1767263009", "1767263190", "\"181\"")]
    public void Terminate_times_and_duration_read_the_same_as_strings_or_numbers(string start, string end, string duration)
    {
        var e = Assert.Single(Split(Envelope($$$"""
            {"field":"calls","value":{"calls":[{"id":"wacid.T","event":"terminate","timestamp":"1767263190","status":"FAILED",
              "start_time":{{{start}}},"end_time":{{{end}}},"duration":{{{duration}}}}]}}
            """)));

        var terminate = Assert.IsType<CallTerminate>(e.Payload);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767263009), terminate.StartTime);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767263190), terminate.EndTime);
        Assert.Equal(181, terminate.Duration);
        Assert.True(terminate.IsFailed);
    }

    [Theory]
    [InlineData("COMPLETED", true, false)]
    [InlineData("Completed", true, false)]
    [InlineData("failed", false, true)]
    [InlineData("REJECTED", false, false)]
    public void The_terminate_status_is_compared_without_regard_to_case_and_other_values_stay_as_sent(string status, bool completed, bool failed)
    {
        var e = Assert.Single(Split(Envelope($$$"""
            {"field":"calls","value":{"calls":[{"id":"wacid.T","event":"terminate","timestamp":"1767263190","status":"{{{status}}}"}]}}
            """)));

        var terminate = Assert.IsType<CallTerminate>(e.Payload);
        Assert.Equal((status, completed, failed), (terminate.Status, terminate.IsCompleted, terminate.IsFailed));
        Assert.Null(terminate.StartTime);
        Assert.Equal("call:wacid.T:terminate", e.Id);
    }

    [Fact]
    public void A_connect_without_direction_or_contacts_is_still_a_typed_connect()
    {
        var e = Assert.Single(Split(Envelope("""
            {"field":"calls","value":{"calls":[{"id":"wacid.C","from":"44","to":"15","event":"connect","timestamp":"1767263001",
              "session":{"sdp_type":"offer","sdp":"v=0\r\ns=-\r\n"}}]}}
            """)));

        var connect = Assert.IsType<CallConnect>(e.Payload);
        Assert.Null(connect.Direction);
        Assert.Null(e.Contacts);
        Assert.Equal("v=0\r\ns=-\r\n", connect.Session!.Sdp);
    }

    [Fact]
    public void An_unknown_call_event_is_a_generic_typed_call_event_keyed_by_its_event()
    {
        var e = Assert.Single(Split(Envelope("""
            {"field":"calls","value":{"calls":[{"id":"wacid.U","event":"media_update","timestamp":"1767263001","extra":{"a":1}}]}}
            """)));

        Assert.Equal(("calls.unknown", "call:wacid.U:media_update", WabaEventKind.Call), (e.Type, e.Id, e.Kind));
        var unknown = Assert.IsType<UnknownCallEvent>(e.Payload);
        Assert.Equal(("wacid.U", "media_update"), (unknown.Id, unknown.Event));
        Assert.True(unknown.ExtensionData!.ContainsKey("extra"));
    }

    [Fact]
    public void Call_statuses_are_named_without_regard_to_case_and_keyed_with_the_status_as_sent()
    {
        var events = Split(Envelope("""
            {"field":"calls","value":{"statuses":[
              {"id":"wacid.S","type":"call","status":"RINGING","timestamp":"1767264003"},
              {"id":"wacid.S","type":"call","status":"Accepted","timestamp":"1767264011"},
              {"id":"wacid.S","type":"call","status":"REJECTED","timestamp":"1767264012"},
              {"id":"wacid.S","type":"call","status":"MISSED","timestamp":"1767264013"}]}}
            """));

        Assert.Equal(
            ["calls.statuses.ringing", "calls.statuses.accepted", "calls.statuses.rejected", "calls.statuses.unknown"],
            events.Select(e => e.Type));
        Assert.Equal(
            ["call-status:wacid.S:RINGING", "call-status:wacid.S:Accepted", "call-status:wacid.S:REJECTED", "call-status:wacid.S:MISSED"],
            events.Select(e => e.Id));
        Assert.All(events, e => Assert.IsType<CallStatus>(e.Payload));
    }

    [Fact]
    public void A_status_of_a_calls_change_whose_type_is_not_call_is_split_as_a_message_status()
    {
        var events = Split(Envelope($$$"""
            {"field":"calls","value":{"statuses":[{{{Status("wamid.M", "read")}}},{"id":"wacid.N","status":"RINGING","timestamp":"1767264003"}]}}
            """));

        Assert.Equal(["statuses.read", "statuses.unknown"], events.Select(e => e.Type));
        Assert.Equal(["status:wamid.M:read", "status:wacid.N:RINGING"], events.Select(e => e.Id));
        Assert.All(events, e => Assert.Equal((WabaEventKind.Status, "calls"), (e.Kind, e.Field)));
        Assert.All(events, e => Assert.IsType<MessageStatus>(e.Payload));
    }

    [Fact]
    public void A_call_status_in_a_messages_change_and_calls_in_a_messages_value_keep_the_messages_behaviour()
    {
        var events = Split(Envelope("""
            {"field":"messages","value":{"calls":[{"id":"wacid.X","event":"connect"}],
              "statuses":[{"id":"wacid.Y","type":"call","status":"RINGING","timestamp":"1767264003"}]}}
            """));

        var single = Assert.Single(events);
        Assert.Equal(("statuses.unknown", "status:wacid.Y:RINGING", WabaEventKind.Status), (single.Type, single.Id, single.Kind));
    }

    [Fact]
    public void A_messages_array_in_a_calls_value_is_not_split_as_messages()
    {
        var single = Assert.Single(Split(Envelope($$$"""{"field":"calls","value":{"messages":[{{{Text("wamid.Q")}}}]}}""")));

        Assert.Equal(("calls", WabaEventKind.Change), (single.Type, single.Kind));
        Assert.IsType<CallsUpdate>(single.Payload);
    }

    [Theory]
    [InlineData("""{"event":"connect","timestamp":"1767263001"}""")]
    [InlineData("""{"id":"wacid.A","timestamp":"1767263001"}""")]
    [InlineData("""{"id":7,"event":"connect"}""")]
    public void A_call_without_a_string_id_or_event_is_keyed_by_the_hash_of_its_bytes(string call)
    {
        var e = Assert.Single(Split(Envelope($$$"""{"field":"calls","value":{"calls":[{{{call}}}]}}""")));

        Assert.StartsWith("sha256:", e.Id, StringComparison.Ordinal);
        Assert.Equal(WabaEventKind.Call, e.Kind);
    }

    [Theory]
    [InlineData("""{"field":"calls","value":{"calls":{"id":"wacid.A","event":"connect"}}}""", "calls")]
    [InlineData("""{"field":"calls","value":{"calls":[5, null, "x"]}}""", "calls.unknown calls.unknown calls.unknown")]
    [InlineData("""{"field":"calls","value":{"calls":[{"id":"wacid.A","event":"connect","session":"not an object"}]}}""", "calls.connect")]
    [InlineData("""{"field":"calls","value":{"calls":[{"id":"wacid.A","event":"terminate","duration":1.5}]}}""", "calls.terminate")]
    [InlineData("""{"field":"calls","value":{"statuses":[{"id":"wacid.A","type":"call","status":7}]}}""", "calls.statuses.unknown")]
    [InlineData("""{"field":"calls","value":[1,2]}""", "calls")]
    public void An_odd_calls_value_gives_events_or_marked_failures_and_never_throws(string change, string types)
    {
        var events = Split(Envelope(change));

        Assert.Equal(types.Split(' '), events.Select(e => e.Type));
        Assert.All(events, e => Assert.NotNull(e.Payload));
        Assert.All(events, e => Assert.Equal(e.Payload is UnparsedPayload, e.PayloadError is not null));
    }

    [Fact]
    public void The_example_call_story_of_one_wacid_gets_one_key_per_event()
    {
        var files = new[] { "calls-connect-user-initiated.json", "calls-terminate-completed.json", "calls-recording-available.json" };

        var keys = files.Select(f => Assert.Single(DeliverySplitter.Split(Fixtures.Read(f), 1).Events).Id).ToArray();

        Assert.Equal(
            [$"call:{Wacid}:connect", $"call:{Wacid}:terminate", $"call:{Wacid}:call_recording_available"],
            keys);
    }

    [Fact]
    public void The_example_terminate_with_errors_gives_the_call_and_its_value_level_errors()
    {
        var events = DeliverySplitter.Split(Fixtures.Read("calls-terminate-with-errors.json"), 1).Events;

        Assert.Equal(["calls.terminate", "calls.errors"], events.Select(e => e.Type));
        var terminate = Assert.IsType<CallTerminate>(events[0].Payload);
        Assert.Equal((138021L, 30L), (Assert.Single(terminate.Errors!).Code, terminate.Duration));
        Assert.Equal("BUSINESS_INITIATED", terminate.Direction);
        Assert.Equal("Priya Raman", Assert.Single(events[0].Contacts!).Profile!.Name);
    }

    [Fact]
    public void A_call_changes_errors_keep_their_key_in_an_envelope_narrowed_to_them_alone()
    {
        var body = Fixtures.Read("calls-terminate-with-errors.json");
        var events = DeliverySplitter.Split(body, 1).Events;
        var errors = events.Single(e => e.Type == "calls.errors");

        // A destination that takes only the errors gets an envelope without the terminate item.
        var narrowed = WabaHooks.Destinations.MetaEnvelope.Narrow(body, events, [errors]);
        var again = Assert.Single(DeliverySplitter.Split(narrowed, 2).Events);

        Assert.NotEqual(body.Length, narrowed.Length);
        Assert.Equal(("calls.errors", errors.Id), (again.Type, again.Id));
    }

    private static IReadOnlyList<WabaEvent> Split(string body)
    {
        var result = DeliverySplitter.Split(Encoding.UTF8.GetBytes(body), 1);
        Assert.True(result.IsSuccess, result.Error);
        return result.Events;
    }
}
