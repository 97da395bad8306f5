using System.Text.Json;

namespace WabaHooks.Payloads;

/// <summary>The body of one webhook POST: <c>{"object":"whatsapp_business_account","entry":[…]}</c>.</summary>
public sealed class Notification : PayloadObject
{
    /// <summary>The Graph object; always <c>whatsapp_business_account</c> for this product.</summary>
    public string? Object { get; set; }

    /// <summary>Every entry in the delivery; one WABA (or business portfolio) each.</summary>
    public IReadOnlyList<Entry> Entry { get; set; } = [];
}

/// <summary>One <c>entry[]</c> item: the changes for one WABA or business portfolio.</summary>
public sealed class Entry : PayloadObject
{
    /// <summary>The WABA ID; the business portfolio ID for partner events.</summary>
    public string Id { get; set; } = "";

    /// <summary>When Meta sent the entry (<c>entry.time</c>); absent on <c>messages</c> payloads.</summary>
    public DateTimeOffset? Time { get; set; }

    /// <summary>Every change in the entry.</summary>
    public IReadOnlyList<Change> Changes { get; set; } = [];
}

/// <summary>One <c>changes[]</c> item: a subscribed field and its value, kept raw.</summary>
public sealed class Change : PayloadObject
{
    /// <summary>The subscribed field, for example <c>messages</c> or <c>account_update</c>.</summary>
    public string Field { get; set; } = "";

    /// <summary>The value as sent; its shape depends on <see cref="Field"/>.</summary>
    public JsonElement Value { get; set; }
}
