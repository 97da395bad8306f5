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
/// <item>anything else — other fields, value-level errors, and a message or status that lacks its <c>id</c> or <c>status</c>:
/// <c>sha256:{64 lowercase hex}</c> over the UTF-8 of <c>entry.id</c>, a 0 byte, <c>field</c>, a 0 byte, <c>entry.time</c> as
/// decimal Unix seconds (empty when absent), a 0 byte, then the item's raw JSON bytes exactly as in the delivery.</item>
/// </list>
/// Keys are at most a few hundred characters (wamids are about 60).
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
