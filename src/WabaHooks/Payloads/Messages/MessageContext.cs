using System.Text.Json.Serialization;

namespace WabaHooks.Payloads;

/// <summary><c>messages[].context</c>: what the message replies to, or that it was forwarded.</summary>
public sealed class MessageContext : PayloadObject
{
    /// <summary>The business number whose message is replied to.</summary>
    public string? From { get; init; }

    /// <summary>The wamid of the message replied to (<c>context.id</c>).</summary>
    [JsonPropertyName("id")]
    public string? Wamid { get; init; }

    /// <summary>Forwarded at most five times.</summary>
    public bool? Forwarded { get; init; }

    /// <summary>Forwarded more than five times.</summary>
    public bool? FrequentlyForwarded { get; init; }

    /// <summary>The product the user asked about from a catalog or product message.</summary>
    public ReferredProduct? ReferredProduct { get; init; }
}

/// <summary><c>context.referred_product</c>.</summary>
public sealed class ReferredProduct : PayloadObject
{
    /// <summary>The catalog ID.</summary>
    public string? CatalogId { get; init; }

    /// <summary>The product's retailer ID (SKU).</summary>
    public string? ProductRetailerId { get; init; }
}

/// <summary><c>messages[].referral</c>: the Click-to-WhatsApp ad or post the user came from.</summary>
public sealed class Referral : PayloadObject
{
    /// <summary>The ad or post URL.</summary>
    public string? SourceUrl { get; init; }

    /// <summary>The ad or post ID.</summary>
    public string? SourceId { get; init; }

    /// <summary><c>ad</c> or <c>post</c>.</summary>
    public string? SourceType { get; init; }

    /// <summary>The ad's body text.</summary>
    public string? Body { get; init; }

    /// <summary>The ad's headline.</summary>
    public string? Headline { get; init; }

    /// <summary><c>image</c> or <c>video</c>.</summary>
    public string? MediaType { get; init; }

    /// <summary>The image URL, for image ads.</summary>
    public string? ImageUrl { get; init; }

    /// <summary>The video URL, for video ads.</summary>
    public string? VideoUrl { get; init; }

    /// <summary>The video thumbnail URL, for video ads.</summary>
    public string? ThumbnailUrl { get; init; }

    /// <summary>The click ID; omitted for WhatsApp Status ad placements.</summary>
    public string? CtwaClid { get; init; }

    /// <summary>The welcome message shown with the ad.</summary>
    public WelcomeMessage? WelcomeMessage { get; init; }
}

/// <summary><c>referral.welcome_message</c>.</summary>
public sealed class WelcomeMessage : PayloadObject
{
    /// <summary>The welcome text.</summary>
    public string? Text { get; init; }
}
