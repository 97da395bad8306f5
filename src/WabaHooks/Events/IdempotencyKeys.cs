using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace WabaHooks.Events;

/// <summary>
/// The stable keys in <see cref="WabaEvent.Id"/>. Meta defines no event ID, redelivers for days and to every
/// subscribed app, so a key depends only on what identifies the item, never on the delivery around it:
/// <list type="bullet">
/// <item>an inbound message: <c>msg:{wamid}</c>;</item>
/// <item>a status: <c>status:{wamid}:{status}</c>, or <c>status:{wamid}:{status}:{recipient_participant_id}</c> for a group send;</item>
/// <item>a <c>calls[]</c> item of a <c>calls</c> change: <c>call:{wacid}:{event}</c>;</item>
/// <item>a call status (<c>statuses[]</c> item with <c>type: "call"</c>): <c>call-status:{wacid}:{status}</c>;</item>
/// <item>anything else — other fields, value-level errors, an item of a list-holding field (<c>automatic_events[]</c>,
/// <c>tracking_events</c>' <c>events[]</c>, <c>user_id_update[]</c>, a group field's <c>groups[]</c>), and a message,
/// status or call item that lacks its <c>id</c>, <c>status</c> or <c>event</c>:
/// <c>sha256:{64 lowercase hex}</c> over the UTF-8 of <c>entry.id</c>, a 0 byte, <c>field</c>, a 0 byte, <c>entry.time</c> as
/// decimal Unix seconds (empty when absent), a 0 byte, then the item's raw JSON bytes exactly as in the delivery (for
/// the value-level errors of a <c>calls</c> change, the <c>errors</c> array; of a <c>messages</c> change, the whole
/// value).</item>
/// </list>
/// Event and status values are kept as sent (a redelivery repeats the same bytes). Call IDs start <c>wacid.</c>, so
/// no key of a call collides with a message's, even the <c>msg:{wacid}</c> of a voicemail.
/// Keys are at most a few hundred characters (wamids are about 60, wacids about 120).
/// </summary>
public static class IdempotencyKeys
{
    // Real keys are about 70 characters; longer ones (odd input) go to the heap.
    private const int StackKeyLength = 256;

    /// <summary>The key of an inbound message.</summary>
    public static string ForMessage(string wamid) => string.Concat("msg:", wamid);

    /// <summary>The key of a status; <paramref name="recipientParticipantId"/> only for group sends.</summary>
    public static string ForStatus(string wamid, string status, string? recipientParticipantId) =>
        string.IsNullOrEmpty(recipientParticipantId)
            ? string.Concat("status:", wamid, ":", status)
            : string.Concat("status:", wamid, ":", status, ":", recipientParticipantId);

    /// <summary>The key of a <c>calls[]</c> item.</summary>
    /// <param name="wacid">The call ID.</param>
    /// <param name="callEvent">The <c>event</c> value as sent.</param>
    public static string ForCall(string wacid, string callEvent) => string.Concat("call:", wacid, ":", callEvent);

    /// <summary>The key of a call status.</summary>
    /// <param name="wacid">The call ID.</param>
    /// <param name="status">The <c>status</c> value as sent.</param>
    public static string ForCallStatus(string wacid, string status) => string.Concat("call-status:", wacid, ":", status);

    /// <summary>As <see cref="ForCall(string, string)"/>, from the values' characters.</summary>
    internal static string ForCall(ReadOnlySpan<char> wacid, ReadOnlySpan<char> callEvent) => Join("call:", wacid, callEvent);

    /// <summary>As <see cref="ForCallStatus(string, string)"/>, from the values' characters.</summary>
    internal static string ForCallStatus(ReadOnlySpan<char> wacid, ReadOnlySpan<char> status) => Join("call-status:", wacid, status);

    private static string Join(string prefix, ReadOnlySpan<char> id, ReadOnlySpan<char> what)
    {
        var length = prefix.Length + id.Length + 1 + what.Length;
        var key = length <= StackKeyLength ? stackalloc char[StackKeyLength] : new char[length];
        prefix.CopyTo(key);
        id.CopyTo(key[prefix.Length..]);
        key[prefix.Length + id.Length] = ':';
        what.CopyTo(key[(prefix.Length + id.Length + 1)..]);
        return new string(key[..length]);
    }

    /// <summary>As <see cref="ForMessage(string)"/>, from the wamid's characters, so the splitter needs no string for it.</summary>
    internal static string ForMessage(ReadOnlySpan<char> wamid)
    {
        const string prefix = "msg:";
        var length = prefix.Length + wamid.Length;
        var key = length <= StackKeyLength ? stackalloc char[StackKeyLength] : new char[length];
        prefix.CopyTo(key);
        wamid.CopyTo(key[prefix.Length..]);
        return new string(key[..length]);
    }

    /// <summary>As <see cref="ForStatus(string, string, string?)"/>, from the values' characters.</summary>
    internal static string ForStatus(ReadOnlySpan<char> wamid, ReadOnlySpan<char> status, ReadOnlySpan<char> recipientParticipantId)
    {
        const string prefix = "status:";
        var length = prefix.Length + wamid.Length + 1 + status.Length + (recipientParticipantId.IsEmpty ? 0 : 1 + recipientParticipantId.Length);
        var key = length <= StackKeyLength ? stackalloc char[StackKeyLength] : new char[length];
        prefix.CopyTo(key);
        var written = prefix.Length;
        wamid.CopyTo(key[written..]);
        written += wamid.Length;
        key[written++] = ':';
        status.CopyTo(key[written..]);
        written += status.Length;
        if (!recipientParticipantId.IsEmpty)
        {
            key[written++] = ':';
            recipientParticipantId.CopyTo(key[written..]);
        }

        return new string(key[..length]);
    }

    /// <summary>The hashed key of a change (or of an item with no ID).</summary>
    /// <param name="entryId"><c>entry.id</c>.</param>
    /// <param name="field"><c>changes[].field</c> as sent.</param>
    /// <param name="entryTime"><c>entry.time</c> in Unix seconds, when present.</param>
    /// <param name="rawJson">The item's raw JSON bytes as they appear in the delivery.</param>
    public static string ForChange(string entryId, string field, long? entryTime, ReadOnlySpan<byte> rawJson)
    {
        ArgumentNullException.ThrowIfNull(entryId);
        ArgumentNullException.ThrowIfNull(field);
        var length = Encoding.UTF8.GetMaxByteCount(entryId.Length) + Encoding.UTF8.GetMaxByteCount(field.Length) + 24 + rawJson.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var span = buffer.AsSpan();
            var written = Encoding.UTF8.GetBytes(entryId, span);
            span[written++] = 0;
            written += Encoding.UTF8.GetBytes(field, span[written..]);
            span[written++] = 0;
            if (entryTime is { } time && Utf8Formatter.TryFormat(time, span[written..], out var timeLength))
            {
                written += timeLength;
            }

            span[written++] = 0;
            rawJson.CopyTo(span[written..]);
            written += rawJson.Length;

            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(span[..written], hash);
            return string.Concat("sha256:", Convert.ToHexStringLower(hash));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
