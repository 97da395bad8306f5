using System.Text.Json;

namespace WabaHooks.Testing;

/// <summary>
/// The events a delivery must yield, worked out from its JSON alone — on purpose apart from the code under test: one
/// per message (<c>messages.{type}</c>, <c>messages.interactive.{reply}</c>), per status (<c>statuses.{status}</c>),
/// per value-level error set (<c>messages.errors</c>), one per item of a list-holding field (<c>{field}.{item}</c>), and
/// one per change of any other field (its name, or <c>unknown</c>); a <c>messages</c> change with none of those is one <c>messages</c> event. A <c>calls</c> change
/// splits the same way: one per call (<c>calls.{event}</c>), per status (<c>calls.statuses.{status}</c> when its type is
/// <c>call</c>, else as a message status), one <c>calls.errors</c>, or one <c>calls</c> event when none of those.
/// </summary>
public static class ExpectedEvents
{
    private static readonly HashSet<string> ModelledMessageTypes =
    [
        "text", "image", "audio", "video", "document", "sticker", "location", "contacts", "interactive", "button",
        "reaction", "order", "system", "unsupported", "edit", "revoke",
    ];

    private static readonly HashSet<string> ModelledFields =
    [
        "account_alerts", "account_review_update", "account_update", "business_capability_update",
        "message_template_quality_update", "message_template_status_update", "message_template_components_update",
        "phone_number_name_update", "phone_number_quality_update", "security", "template_category_update",
        "user_preferences", "smb_message_echoes", "smb_app_state_sync", "history", "flows", "partner_solutions",
        "payment_configuration_update", "calls", "group_lifecycle_update", "group_settings_update", "group_participant_update",
        "group_participants_update", "group_status_update", "account_settings_update", "automatic_events",
        "business_username_updates", "messaging_handovers", "template_correct_category_detection", "tracking_events",
        "user_id_update",
    ];

    // Fields whose value is a list of independent items: the list's name and the name of one item's event.
    private static readonly Dictionary<string, (string Array, string Item)> ItemFields = new()
    {
        ["automatic_events"] = ("automatic_events", "event"),
        ["tracking_events"] = ("events", "event"),
        ["user_id_update"] = ("user_id_update", "change"),
        ["group_lifecycle_update"] = ("groups", "group"),
        ["group_participants_update"] = ("groups", "group"),
        ["group_settings_update"] = ("groups", "group"),
        ["group_status_update"] = ("groups", "group"),
        ["group_participant_update"] = ("groups", "group"),
    };

    private static readonly HashSet<string> KnownStatuses = ["sent", "delivered", "read", "played", "failed"];

    private static readonly HashSet<string> KnownCallEvents =
        ["connect", "terminate", "call_created", "call_recording_available", "call_transcription_available"];

    private static readonly HashSet<string> KnownCallStatuses = ["ringing", "accepted", "rejected"];

    /// <summary>The type names of the events <paramref name="body"/> must yield, in order.</summary>
    public static List<string> TypesOf(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        using var document = JsonDocument.ParseValue(ref reader);
        var types = new List<string>();
        foreach (var entry in document.RootElement.GetProperty("entry").EnumerateArray())
        {
            foreach (var change in entry.GetProperty("changes").EnumerateArray())
            {
                var field = change.GetProperty("field").GetString()!;
                var value = change.GetProperty("value");
                if (field == "calls" && value.ValueKind == JsonValueKind.Object)
                {
                    AddCalls(types, value);
                    continue;
                }

                if (ItemFields.TryGetValue(field, out var list) && value.ValueKind == JsonValueKind.Object
                    && value.TryGetProperty(list.Array, out var array) && array.ValueKind == JsonValueKind.Array && array.GetArrayLength() > 0)
                {
                    types.AddRange(array.EnumerateArray().Select(_ => field + "." + list.Item));
                    continue;
                }

                if (field != "messages")
                {
                    // Meta's documented mislabel: a quality update sent under the status-update field.
                    var mislabelled = field == "message_template_status_update" && value.TryGetProperty("new_quality_score", out _);
                    types.Add(mislabelled ? "message_template_quality_update"
                        : field == "business_username_update" ? "business_username_updates"
                        : ModelledFields.Contains(field) ? field : "unknown");
                    continue;
                }

                var before = types.Count;
                foreach (var message in Items(value, "messages"))
                {
                    types.Add(MessageType(message));
                }

                foreach (var status in Items(value, "statuses"))
                {
                    var s = status.GetProperty("status").GetString()!;
                    types.Add("statuses." + (KnownStatuses.Contains(s) ? s : "unknown"));
                }

                if (Items(value, "errors").Any())
                {
                    types.Add("messages.errors");
                }

                if (types.Count == before)
                {
                    types.Add("messages");
                }
            }
        }

        return types;
    }

    private static void AddCalls(List<string> types, JsonElement value)
    {
        var before = types.Count;
        foreach (var call in Items(value, "calls"))
        {
            var e = call.GetProperty("event").GetString()!;
            types.Add("calls." + (KnownCallEvents.Contains(e) ? e : "unknown"));
        }

        foreach (var status in Items(value, "statuses"))
        {
            var s = status.GetProperty("status").GetString()!;
            var isCall = status.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "call";
            types.Add(isCall
                ? "calls.statuses." + (KnownCallStatuses.Contains(s.ToLowerInvariant()) ? s.ToLowerInvariant() : "unknown")
                : "statuses." + (KnownStatuses.Contains(s) ? s : "unknown"));
        }

        if (Items(value, "errors").Any())
        {
            types.Add("calls.errors");
        }

        if (types.Count == before)
        {
            types.Add("calls");
        }
    }

    /// <summary>How many events <paramref name="body"/> must yield.</summary>
    public static int CountOf(ReadOnlySpan<byte> body) => TypesOf(body).Count;

    private static IEnumerable<JsonElement> Items(JsonElement value, string name) =>
        value.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : [];

    private static string MessageType(JsonElement message)
    {
        var type = message.GetProperty("type").GetString()!;
        if (!ModelledMessageTypes.Contains(type))
        {
            return "messages.unknown";
        }

        if (type != "interactive")
        {
            return "messages." + type;
        }

        var sub = message.GetProperty("interactive").GetProperty("type").GetString();
        return sub is "button_reply" or "list_reply" or "nfm_reply" or "call_permission_reply" ? "messages.interactive." + sub : "messages.interactive.unknown";
    }
}
