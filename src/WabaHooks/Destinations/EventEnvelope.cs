using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using WabaHooks.Events;
using WabaHooks.Media;

namespace WabaHooks.Destinations;

/// <summary>
/// The JSON body of the <c>event</c> format: one WabaHooks event, shaped as the Standard Webhooks payload
/// recommendation (<c>type</c>, <c>timestamp</c>, <c>data</c>). Raw parts are written byte for byte as in the delivery,
/// never re-serialised.
/// </summary>
/// <remarks>
/// <code>
/// {"type": "messages.text",
///  "timestamp": "2026-01-01T10:00:30Z",
///  "data": {"id": "msg:wamid.…", "field": "messages", "waba_id": "…", "phone_number_id": "…",
///           "occurred_at": "2026-01-01T10:00:30Z", "delivery_id": 42,
///           "metadata": {"display_phone_number": "…", "phone_number_id": "…"},
///           "contacts": [ … ], "payload": { … },
///           "media": {"id": "…", "mime_type": "image/jpeg", "sha256": "…", "size": 48213,
///                     "location": "/var/lib/wabahooks/media/….bin", "stored_at": "…"}}}
/// </code>
/// </remarks>
public static class EventEnvelope
{
    /// <summary>The <c>type</c> of the event <see cref="WriteTest"/> writes.</summary>
    public const string TestType = "wabahooks.test";

    /// <summary>The <c>message</c> of the event <see cref="WriteTest"/> writes.</summary>
    public const string TestMessage = "A test event from wabahooks destinations test.";

    // The body goes to an HTTP endpoint, never into HTML, so IDs with + or non-ASCII text stay readable.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes one event.</summary>
    /// <param name="e">The event.</param>
    /// <returns>
    /// Compact UTF-8 JSON: <c>type</c> is <see cref="WabaEvent.Type"/>; <c>timestamp</c> is
    /// <see cref="WabaEvent.OccurredAt"/> in ISO 8601 UTC (<c>Z</c>), left out when unknown; <c>data</c> holds
    /// <c>id</c> (<see cref="WabaEvent.Id"/>), <c>field</c>, <c>waba_id</c>, <c>phone_number_id</c>,
    /// <c>occurred_at</c>, <c>delivery_id</c> (a number), <c>metadata</c> (<c>display_phone_number</c> and
    /// <c>phone_number_id</c>), <c>contacts</c> (the value's <c>contacts</c> exactly as in the delivery) and
    /// <c>payload</c> (<see cref="WabaEvent.RawJson"/> exactly; <c>null</c> for a change that had no value). A property
    /// whose value is unknown is left out rather than written as <c>null</c>.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="e"/> is null.</exception>
    public static byte[] Write(WabaEvent e) => Write(e, null);

    /// <summary>Writes one event, with the media its message's media was kept as.</summary>
    /// <param name="e">The event.</param>
    /// <param name="media">
    /// The kept media of the event's message, or <see langword="null"/>. When given, <c>data</c> ends with
    /// <c>media</c>: <c>{"id", "mime_type", "sha256", "size", "location", "stored_at"}</c> — Meta's media id, the MIME
    /// type (left out when unknown), the SHA-256 of the bytes in base64 as Meta sends it, the size in bytes, where the
    /// media store keeps it (a file path for the directory store) and when it was kept.
    /// </param>
    /// <returns>As <see cref="Write(WabaEvent)"/>, with <c>media</c> when given.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="e"/> is null.</exception>
    public static byte[] Write(WabaEvent e, StoredMedia? media)
    {
        ArgumentNullException.ThrowIfNull(e);
        var contacts = e.ContactsSource?.Json ?? default;
        var output = new ArrayBufferWriter<byte>(e.RawJson.Length + contacts.Length + 512);
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, e.Type);
            WriteTime(writer, "timestamp"u8, e.OccurredAt);
            writer.WriteStartObject("data"u8);
            writer.WriteString("id"u8, e.Id);
            writer.WriteString("field"u8, e.Field);
            writer.WriteString("waba_id"u8, e.WabaId);
            WriteText(writer, "phone_number_id"u8, e.PhoneNumberId);
            WriteTime(writer, "occurred_at"u8, e.OccurredAt);
            writer.WriteNumber("delivery_id"u8, e.DeliveryId);
            if (e.Metadata is { } metadata)
            {
                writer.WriteStartObject("metadata"u8);
                WriteText(writer, "display_phone_number"u8, metadata.DisplayPhoneNumber);
                WriteText(writer, "phone_number_id"u8, metadata.PhoneNumberId);
                writer.WriteEndObject();
            }

            if (!contacts.IsEmpty)
            {
                writer.WritePropertyName("contacts"u8);
                writer.WriteRawValue(contacts.Span, skipInputValidation: true);
            }

            writer.WritePropertyName("payload"u8);
            if (e.RawJson.IsEmpty)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteRawValue(e.RawJson.Span, skipInputValidation: true);
            }

            if (media is not null)
            {
                writer.WriteStartObject("media"u8);
                writer.WriteString("id"u8, media.MediaId);
                WriteText(writer, "mime_type"u8, media.MimeType);
                writer.WriteString("sha256"u8, media.Sha256);
                writer.WriteNumber("size"u8, media.Length);
                writer.WriteString("location"u8, media.Location);
                WriteTime(writer, "stored_at"u8, media.StoredAt);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Writes a test event: <c>{"type":"wabahooks.test","timestamp":…,"data":{"id":…,"message":"A test event from
    /// wabahooks destinations test."}}</c>.
    /// </summary>
    /// <param name="id">The test event's ID.</param>
    /// <param name="at">When the test was sent; written in ISO 8601 UTC.</param>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    public static byte[] WriteTest(string id, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(id);
        var output = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, TestType);
            WriteTime(writer, "timestamp"u8, at);
            writer.WriteStartObject("data"u8);
            writer.WriteString("id"u8, id);
            writer.WriteString("message"u8, TestMessage);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    private static void WriteText(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteTime(Utf8JsonWriter writer, ReadOnlySpan<byte> name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            // A UTC DateTime is written with Z; a DateTimeOffset would be written as +00:00.
            writer.WriteString(name, time.UtcDateTime);
        }
    }
}
