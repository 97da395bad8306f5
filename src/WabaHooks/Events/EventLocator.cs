namespace WabaHooks.Events;

/// <summary>
/// Where a stored event lies in its delivery's body and what else it needs to be rebuilt from that body without a
/// split: its kind, what its payload is read as, and the slices of its change's <c>metadata</c> and <c>contacts</c>.
/// Recorded when the event is stored, so dispatch finds exactly the event the processor stored even after an upgrade
/// changes how deliveries split (new fields split per item, new key rules).
/// </summary>
/// <remarks>
/// Stored as a few bytes: a version, the kind, the payload source, then unsigned LEB128 integers (events in the
/// delivery, then offset and length of the raw JSON, of <c>metadata</c> and of <c>contacts</c>; a length of 0 means
/// absent). Integers known when the split ends, so recording them costs the processor no parse. Whatever does not
/// decode, or points outside the body, reads as no locator, and dispatch splits the delivery as before.
/// </remarks>
internal readonly record struct EventLocator(
    WabaEventKind Kind,
    LazyPayload Payload,
    int EventsInDelivery,
    int RawOffset,
    int RawLength,
    int MetadataOffset,
    int MetadataLength,
    int ContactsOffset,
    int ContactsLength)
{
    private const byte Version = 1;

    // Version, kind, payload, then seven integers of at most five bytes each.
    private const int MaxEncodedLength = 3 + (7 * 5);

    /// <summary>The locator of <paramref name="e"/>, split from <paramref name="body"/> into <paramref name="eventsInDelivery"/> events; empty when its slices are not of that body.</summary>
    public static byte[] Encode(WabaEvent e, ReadOnlySpan<byte> body, int eventsInDelivery)
    {
        var contactsJson = e.ContactsSource?.Json ?? default;
        if (!TryOffset(body, e.RawJson.Span, out var raw)
            || !TryOffset(body, e.MetadataJson.Span, out var metadata)
            || !TryOffset(body, contactsJson.Span, out var contacts))
        {
            return [];
        }

        Span<byte> buffer = stackalloc byte[MaxEncodedLength];
        buffer[0] = Version;
        buffer[1] = (byte)e.Kind;
        buffer[2] = (byte)e.PayloadSource;
        var length = 3;
        foreach (var value in (ReadOnlySpan<int>)[eventsInDelivery, raw, e.RawJson.Length, metadata, e.MetadataJson.Length, contacts, contactsJson.Length])
        {
            length += Write(buffer[length..], (uint)value);
        }

        return buffer[..length].ToArray();
    }

    /// <summary>Reads a locator whose slices all lie within a body of <paramref name="bodyLength"/> bytes.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, int bodyLength, out EventLocator locator)
    {
        locator = default;
        if (encoded.Length < 3 || encoded[0] != Version || !Enum.IsDefined((WabaEventKind)encoded[1]) || !Enum.IsDefined((LazyPayload)encoded[2]))
        {
            return false;
        }

        Span<int> values = stackalloc int[7];
        var at = 3;
        for (var i = 0; i < values.Length; i++)
        {
            if (!TryRead(encoded, ref at, out values[i]))
            {
                return false;
            }
        }

        var kind = (WabaEventKind)encoded[1];
        var payload = (LazyPayload)encoded[2];
        locator = new EventLocator(kind, payload, values[0], values[1], values[2], values[3], values[4], values[5], values[6]);

        // A whole change's payload is read when it is built; every other kind's lazily, so it must say as what.
        return at == encoded.Length
            && (kind == WabaEventKind.Change) == (payload == LazyPayload.None)
            && locator.EventsInDelivery > 0
            && Within(locator.RawOffset, locator.RawLength, bodyLength)
            && Within(locator.MetadataOffset, locator.MetadataLength, bodyLength)
            && Within(locator.ContactsOffset, locator.ContactsLength, bodyLength);
    }

    private static bool Within(int offset, int length, int bodyLength) => (long)offset + length <= bodyLength;

    /// <summary>Where <paramref name="slice"/> starts in <paramref name="body"/>; 0 for an empty slice (absent).</summary>
    private static bool TryOffset(ReadOnlySpan<byte> body, ReadOnlySpan<byte> slice, out int offset)
    {
        if (slice.IsEmpty)
        {
            offset = 0;
            return true;
        }

        return body.Overlaps(slice, out offset) && offset >= 0 && offset + slice.Length <= body.Length;
    }

    private static int Write(Span<byte> buffer, uint value)
    {
        var length = 0;
        while (value >= 0x80)
        {
            buffer[length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        buffer[length++] = (byte)value;
        return length;
    }

    private static bool TryRead(ReadOnlySpan<byte> encoded, ref int at, out int value)
    {
        uint result = 0;
        for (var shift = 0; shift < 35 && at < encoded.Length; shift += 7)
        {
            var b = encoded[at++];
            result |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                value = (int)result;
                return result <= int.MaxValue;
            }
        }

        value = 0;
        return false;
    }
}
