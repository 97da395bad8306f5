using System.Text.Json;
using WabaHooks.Payloads;

namespace WabaHooks.Events;

/// <summary>The <c>contacts</c> JSON of one <c>messages</c> value, shared by its events and read once, when first asked for.</summary>
internal sealed class ContactsSource(ReadOnlyMemory<byte> json)
{
    // One reference write publishes the result, so racing readers at worst both deserialise.
    private static readonly Contact[] Malformed = [];
    private IReadOnlyList<Contact>? _value;

    /// <summary>The <c>contacts</c> JSON exactly as in the delivery: a slice of its buffer.</summary>
    public ReadOnlyMemory<byte> Json { get; } = json;

    public IReadOnlyList<Contact>? Value
    {
        get
        {
            var value = _value ??= Read(Json);
            return ReferenceEquals(value, Malformed) ? null : value;
        }
    }

    private static IReadOnlyList<Contact> Read(ReadOnlyMemory<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json.Span, WhatsAppJsonContext.Default.IReadOnlyListContact) ?? Malformed;
        }
        catch (JsonException)
        {
            // Contacts only enrich the events; the raw JSON still has them.
            return Malformed;
        }
    }
}
