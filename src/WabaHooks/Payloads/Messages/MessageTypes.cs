using System.Text.Json;
using WabaHooks.Payloads.Serialization;

namespace WabaHooks.Payloads;

/// <summary>The message <c>type</c> values this library models, each with its own <see cref="InboundMessage"/> subclass.</summary>
public static class MessageTypes
{
    /// <summary><see cref="TextMessage"/>.</summary>
    public const string Text = "text";

    /// <summary><see cref="ImageMessage"/>.</summary>
    public const string Image = "image";

    /// <summary><see cref="AudioMessage"/>.</summary>
    public const string Audio = "audio";

    /// <summary><see cref="VideoMessage"/>.</summary>
    public const string Video = "video";

    /// <summary><see cref="DocumentMessage"/>.</summary>
    public const string Document = "document";

    /// <summary><see cref="StickerMessage"/>.</summary>
    public const string Sticker = "sticker";

    /// <summary><see cref="LocationMessage"/>.</summary>
    public const string Location = "location";

    /// <summary><see cref="ContactsMessage"/>.</summary>
    public const string Contacts = "contacts";

    /// <summary><see cref="InteractiveMessage"/>.</summary>
    public const string Interactive = "interactive";

    /// <summary><see cref="ButtonMessage"/>.</summary>
    public const string Button = "button";

    /// <summary><see cref="ReactionMessage"/>.</summary>
    public const string Reaction = "reaction";

    /// <summary><see cref="OrderMessage"/>.</summary>
    public const string Order = "order";

    /// <summary><see cref="SystemMessage"/>.</summary>
    public const string System = "system";

    /// <summary><see cref="UnsupportedMessage"/>.</summary>
    public const string Unsupported = "unsupported";

    /// <summary><see cref="EditMessage"/>.</summary>
    public const string Edit = "edit";

    /// <summary><see cref="RevokeMessage"/>.</summary>
    public const string Revoke = "revoke";

    /// <summary>The modelled type named by the current string token, or <see langword="null"/> for any other value.</summary>
    internal static string? Match(ref readonly Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return null;
        }

        // Compare the UTF-8 in place: no string per message just to choose a type.
        if (reader.TextEquals("text"u8)) return Text;
        if (reader.TextEquals("image"u8)) return Image;
        if (reader.TextEquals("interactive"u8)) return Interactive;
        if (reader.TextEquals("audio"u8)) return Audio;
        if (reader.TextEquals("video"u8)) return Video;
        if (reader.TextEquals("document"u8)) return Document;
        if (reader.TextEquals("sticker"u8)) return Sticker;
        if (reader.TextEquals("location"u8)) return Location;
        if (reader.TextEquals("contacts"u8)) return Contacts;
        if (reader.TextEquals("button"u8)) return Button;
        if (reader.TextEquals("reaction"u8)) return Reaction;
        if (reader.TextEquals("order"u8)) return Order;
        if (reader.TextEquals("system"u8)) return System;
        if (reader.TextEquals("unsupported"u8)) return Unsupported;
        if (reader.TextEquals("edit"u8)) return Edit;
        if (reader.TextEquals("revoke"u8)) return Revoke;
        return null;
    }
}
