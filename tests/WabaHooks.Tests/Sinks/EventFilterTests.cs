using WabaHooks.Events;
using WabaHooks.Sinks;

namespace WabaHooks.Tests.Sinks;

/// <summary>
/// What <see cref="EventFilter"/> lets through, on events built directly (not split from deliveries): type names exact
/// or by <c>.*</c> prefix, lists combined with AND, an empty list meaning any. Matching is ordinal and case-sensitive:
/// Meta names fields and types in lowercase (<c>messages</c>, <c>account_update</c>, <c>statuses.read</c>) and every
/// event carries Meta's spelling, so a filter written in another case names nothing Meta sends.
/// </summary>
public sealed class EventFilterTests
{
    private const string Waba = "102290129340398";
    private const string OtherWaba = "987654321098765";
    private const string Phone = "106540352242922";
    private const string OtherPhone = "106540352249999";

    private static WabaEvent Event(string field, string type, string wabaId = Waba, string? phoneNumberId = Phone, WabaEventKind? kind = null) => new()
    {
        Id = $"test:{type}",
        Type = type,
        Kind = kind ?? (type.StartsWith("statuses.", StringComparison.Ordinal) ? WabaEventKind.Status
            : type.StartsWith("messages.", StringComparison.Ordinal) ? WabaEventKind.Message
            : WabaEventKind.Change),
        Field = field,
        WabaId = wabaId,
        PhoneNumberId = phoneNumberId,
        DeliveryId = 1,
        Position = 0,
        Payload = new object(),
        RawJson = "{}"u8.ToArray(),
    };

    private static readonly WabaEvent Text = Event("messages", "messages.text");
    private static readonly WabaEvent ButtonReply = Event("messages", "messages.interactive.button_reply");
    private static readonly WabaEvent Read = Event("messages", "statuses.read");
    private static readonly WabaEvent Failed = Event("messages", "statuses.failed");
    private static readonly WabaEvent AccountUpdate = Event("account_update", "account_update", phoneNumberId: null);

    [Fact]
    public void An_empty_filter_matches_every_event()
    {
        var filter = new EventFilter();

        Assert.All([Text, ButtonReply, Read, Failed, AccountUpdate], e => Assert.True(filter.Matches(e)));
        Assert.All([Text, Read, AccountUpdate], e => Assert.True(EventFilter.All.Matches(e)));
    }

    [Fact]
    public void An_exact_type_matches_only_that_type()
    {
        var filter = new EventFilter { Types = ["statuses.read"] };

        Assert.True(filter.Matches(Read));
        Assert.False(filter.Matches(Failed));
        Assert.False(filter.Matches(Text));
    }

    [Fact]
    public void A_type_ending_in_dot_star_matches_every_type_under_that_prefix()
    {
        var statuses = new EventFilter { Types = ["statuses.*"] };
        var messages = new EventFilter { Types = ["messages.*"] };

        Assert.True(statuses.Matches(Read));
        Assert.True(statuses.Matches(Failed));
        Assert.True(statuses.Matches(Event("messages", "statuses.unknown")));
        Assert.False(statuses.Matches(Text));
        Assert.True(messages.Matches(Text));
        Assert.True(messages.Matches(ButtonReply));
        Assert.True(messages.Matches(Event("messages", "messages.errors", kind: WabaEventKind.Errors)));
        Assert.False(messages.Matches(Read));
    }

    [Fact]
    public void A_prefix_matches_types_nested_deeper_and_a_deeper_prefix_only_those()
    {
        var interactive = new EventFilter { Types = ["messages.interactive.*"] };

        Assert.True(interactive.Matches(ButtonReply));
        Assert.True(interactive.Matches(Event("messages", "messages.interactive.list_reply")));
        Assert.False(interactive.Matches(Text));
    }

    [Fact]
    public void A_prefix_matches_up_to_the_dot_only_not_the_bare_name_nor_a_longer_word()
    {
        var messages = new EventFilter { Types = ["messages.*"] };

        // A messages change with no messages, statuses or errors has the type "messages", which is no message type.
        Assert.False(messages.Matches(Event("messages", "messages", kind: WabaEventKind.Change)));
        Assert.False(messages.Matches(Event("message_echoes", "message_echoes")));
        Assert.False(messages.Matches(Event("messages_x", "messages_x.text")));
    }

    [Fact]
    public void Star_without_a_prefix_is_not_a_wildcard_only_an_empty_list_is()
    {
        Assert.False(new EventFilter { Types = ["*"] }.Matches(Text));
        Assert.False(new EventFilter { Types = [".*"] }.Matches(Text));
        Assert.False(new EventFilter { Fields = ["*"] }.Matches(Text));
    }

    [Fact]
    public void Several_entries_in_one_list_are_alternatives()
    {
        var filter = new EventFilter { Types = ["messages.text", "statuses.*"] };

        Assert.True(filter.Matches(Text));
        Assert.True(filter.Matches(Failed));
        Assert.False(filter.Matches(ButtonReply));
        Assert.False(filter.Matches(AccountUpdate));
    }

    [Fact]
    public void Fields_match_the_change_field_exactly()
    {
        var filter = new EventFilter { Fields = ["account_update"] };

        Assert.True(filter.Matches(AccountUpdate));
        Assert.False(filter.Matches(Text));
        Assert.False(new EventFilter { Fields = ["account_"] }.Matches(AccountUpdate));
    }

    [Fact]
    public void Fields_and_types_must_both_match()
    {
        var statusesOfMessages = new EventFilter { Fields = ["messages"], Types = ["statuses.*"] };
        var impossible = new EventFilter { Fields = ["account_update"], Types = ["statuses.*"] };

        Assert.True(statusesOfMessages.Matches(Read));
        Assert.False(statusesOfMessages.Matches(Text));
        Assert.False(statusesOfMessages.Matches(AccountUpdate));
        Assert.All([Text, Read, AccountUpdate], e => Assert.False(impossible.Matches(e)));
    }

    [Fact]
    public void Every_list_must_match_fields_types_waba_ids_and_phone_number_ids()
    {
        var filter = new EventFilter
        {
            Fields = ["messages"],
            Types = ["statuses.*"],
            WabaIds = [Waba],
            PhoneNumberIds = [Phone],
        };

        Assert.True(filter.Matches(Read));
        Assert.False(filter.Matches(Event("account_update", "statuses.read")), "field differs");
        Assert.False(filter.Matches(Text), "type differs");
        Assert.False(filter.Matches(Event("messages", "statuses.read", wabaId: OtherWaba)), "WABA differs");
        Assert.False(filter.Matches(Event("messages", "statuses.read", phoneNumberId: OtherPhone)), "phone number differs");
    }

    [Fact]
    public void Waba_ids_and_phone_number_ids_are_each_a_list_of_alternatives()
    {
        var filter = new EventFilter { WabaIds = [Waba, OtherWaba], PhoneNumberIds = [Phone, OtherPhone] };

        Assert.True(filter.Matches(Read));
        Assert.True(filter.Matches(Event("messages", "statuses.read", wabaId: OtherWaba, phoneNumberId: OtherPhone)));
        Assert.False(filter.Matches(Event("messages", "statuses.read", wabaId: "111")));
        Assert.False(filter.Matches(Event("messages", "statuses.read", phoneNumberId: "222")));
    }

    [Fact]
    public void An_event_without_a_phone_number_id_passes_an_empty_phone_list_but_never_a_non_empty_one()
    {
        Assert.True(new EventFilter { WabaIds = [Waba] }.Matches(AccountUpdate));
        Assert.False(new EventFilter { PhoneNumberIds = [Phone] }.Matches(AccountUpdate));
    }

    [Fact]
    public void Types_and_fields_are_case_sensitive_as_meta_spells_them_in_lowercase()
    {
        Assert.False(new EventFilter { Types = ["Statuses.Read"] }.Matches(Read));
        Assert.False(new EventFilter { Types = ["STATUSES.*"] }.Matches(Read));
        Assert.False(new EventFilter { Fields = ["Messages"] }.Matches(Read));
        Assert.True(new EventFilter { Types = ["statuses.read"], Fields = ["messages"] }.Matches(Read));
    }

    [Fact]
    public void The_predicate_is_one_more_condition_combined_with_the_lists()
    {
        var filter = new EventFilter { Types = ["statuses.*"], Predicate = e => e.Type.EndsWith(".failed", StringComparison.Ordinal) };

        Assert.True(filter.Matches(Failed));
        Assert.False(filter.Matches(Read));
        Assert.False(new EventFilter { Types = ["statuses.*"], Predicate = _ => true }.Matches(Text));
    }

    [Fact]
    public void Matching_by_properties_ignores_the_predicate()
    {
        var filter = new EventFilter { Types = ["statuses.*"], Predicate = _ => false };

        Assert.False(filter.Matches(Read));
        Assert.True(filter.Matches("messages", "statuses.read", Waba, Phone));
    }

    [Fact]
    public void A_test_event_passes_only_a_filter_that_includes_test_events()
    {
        var test = Event("messages", "messages.text");
        test = new WabaEvent
        {
            Id = test.Id, Type = test.Type, Kind = test.Kind, Field = test.Field, WabaId = test.WabaId, PhoneNumberId = test.PhoneNumberId,
            DeliveryId = 1, Position = 0, Payload = new object(), RawJson = test.RawJson, IsTest = true,
        };

        Assert.False(EventFilter.All.Matches(test));
        Assert.True(EventFilter.All.Matches(Text));
        Assert.True(new EventFilter { IncludeTestEvents = true }.Matches(test));
        Assert.False(new EventFilter { IncludeTestEvents = true, Types = ["statuses.*"] }.Matches(test));
    }

    [Fact]
    public void A_delivery_with_the_test_flag_splits_into_test_events_and_one_without_into_real_ones()
    {
        var body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"account_update\",\"value\":{\"event\":\"X\"}}]}]}"u8.ToArray();
        static WabaHooks.Inbox.Delivery Stored(byte[] body, WabaHooks.Inbox.DeliveryFlags flags) =>
            new(new WabaHooks.Inbox.DeliverySummary(7, DateTimeOffset.UnixEpoch, "app", body.Length, flags), body);

        Assert.All(DeliverySplitter.Split(Stored(body, WabaHooks.Inbox.DeliveryFlags.Test)).Events, e => Assert.True(e.IsTest));
        Assert.All(DeliverySplitter.Split(Stored(body, WabaHooks.Inbox.DeliveryFlags.None)).Events, e => Assert.False(e.IsTest));
        Assert.NotEmpty(DeliverySplitter.Split(Stored(body, WabaHooks.Inbox.DeliveryFlags.Test)).Events);
    }
}
