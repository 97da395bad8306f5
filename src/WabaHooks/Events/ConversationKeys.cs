using System.Text.Json;
using System.Text.Unicode;

namespace WabaHooks.Events;

/// <summary>
/// The conversation an event belongs to, for sinks that take events in order
/// (<see cref="Sinks.SinkOrdering.PerConversation"/>): the business phone number and the customer (or group), or the
/// WABA for events about no conversation.
/// </summary>
/// <remarks>
/// <para>
/// Keys are <c>{phone_number_id}:{customer}</c>, <c>{phone_number_id}:group:{group_id}</c> or <c>waba:{entry.id}</c>.
/// The customer is the phone number (<c>from</c>, <c>recipient_id</c>; <c>to</c> on a business-initiated call) and the
/// business-scoped user ID (<c>from_user_id</c>, <c>recipient_user_id</c>, <c>to_user_id</c>) only when Meta left the
/// number out. Phone first, because a <c>failed</c> status carries no BSUID: keyed on the BSUID first, a message's
/// statuses would fall into two conversations for every customer Meta sends BSUIDs for, while keyed on the number they
/// part only when Meta omits it (a username user with no interaction in 30 days), which is where a conversation starts.
/// </para>
/// <para>
/// Read from the item's own top-level JSON properties, without building the typed payload: the processor computes a key
/// for every event it stores, and most events' payloads are never deserialised.
/// </para>
/// </remarks>
public static class ConversationKeys
{
    /// <summary>The conversation key of <paramref name="e"/>.</summary>
    public static string Of(WabaEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.PhoneNumberId is { Length: > 0 } phone && e.Kind is WabaEventKind.Message or WabaEventKind.Status or WabaEventKind.Call or WabaEventKind.CallStatus
            && Customer(e.Kind, e.RawJson.Span) is { } customer)
        {
            return $"{phone}:{customer}";
        }

        return "waba:" + e.WabaId;
    }

    /// <summary>The customer or group part of the key, or null when the item names none (or is not an object).</summary>
    internal static string? Customer(WabaEventKind kind, ReadOnlySpan<byte> json)
    {
        string? from = null, fromUser = null, to = null, toUser = null, group = null, recipient = null, recipientUser = null, recipientType = null, direction = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                var escaped = reader.ValueIsEscaped;
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    reader.Skip();
                    continue;
                }

                if (escaped)
                {
                    // Meta never escapes these names; an item that does is odd input and keys on the WABA.
                    continue;
                }

                // Only the values the key can use become strings; the others are only checked to be text, as reading them
                // would: an item with a string that is not valid UTF-8 names no usable customer, whichever it is.
                if (name.SequenceEqual("from"u8)) from = reader.GetString();
                else if (name.SequenceEqual("from_user_id"u8)) fromUser = reader.GetString();
                else if (name.SequenceEqual("to"u8)) to = reader.GetString();
                else if (name.SequenceEqual("to_user_id"u8)) toUser = reader.GetString();
                else if (name.SequenceEqual("group_id"u8)) group = reader.GetString();
                else if (name.SequenceEqual("recipient_id"u8)) recipient = reader.GetString();
                else if (name.SequenceEqual("recipient_user_id"u8)) recipientUser = reader.GetString();
                else if (name.SequenceEqual("recipient_type"u8)) recipientType = reader.GetString();
                else if (name.SequenceEqual("direction"u8)) direction = reader.GetString();
                else if (reader.ValueIsEscaped ? reader.GetString() is null : !Utf8.IsValid(reader.ValueSpan)) return null;
            }
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // A string value that is not valid UTF-8 text: no usable customer.
            return null;
        }

        return kind switch
        {
            WabaEventKind.Message => Group(group) ?? Either(from, fromUser),
            WabaEventKind.Status => string.Equals(recipientType, "group", StringComparison.Ordinal) ? Group(recipient) : Either(recipient, recipientUser),
            WabaEventKind.Call => string.Equals(direction, "BUSINESS_INITIATED", StringComparison.OrdinalIgnoreCase) ? Either(to, toUser) : Either(from, fromUser),
            WabaEventKind.CallStatus => Either(recipient, recipientUser),
            _ => null,
        };
    }

    private static string? Group(string? id) => string.IsNullOrEmpty(id) ? null : "group:" + id;

    private static string? Either(string? phone, string? userId) =>
        !string.IsNullOrEmpty(phone) ? phone : !string.IsNullOrEmpty(userId) ? userId : null;
}
