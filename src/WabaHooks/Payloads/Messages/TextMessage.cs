namespace WabaHooks.Payloads;

/// <summary>A <c>text</c> message.</summary>
public sealed class TextMessage : InboundMessage
{
    /// <summary>The text.</summary>
    public TextContent? Text { get; set; }
}

/// <summary><c>text</c>.</summary>
public sealed class TextContent : PayloadObject
{
    /// <summary>The message text.</summary>
    public string? Body { get; set; }
}
