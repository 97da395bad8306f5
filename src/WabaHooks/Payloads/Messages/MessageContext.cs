using System.Text.Json.Serialization;

namespace WabaHooks.Payloads;

/// <summary><c>messages[].context</c>: what the message replies to, or that it was forwarded.</summary>
public sealed class MessageContext : PayloadObject
{
    /// <summary>The business number whose message is replied to.</summary>
    public string? From { get; set; }

    /// <summary>The wamid of the message replied to (<c>context.id</c>).</summary>
    [JsonPropertyName("id")]
    public string? Wamid { get; set; }

    /// <summary>Forwarded at most five times.</summary>
    public bool? Forwarded { get; set; }

    /// <summary>Forwarded more than five times.</summary>
    public bool? FrequentlyForwarded { get; set; }

    /// <summary>The product the user asked about from a catalog or product message.</summary>
    public ReferredProduct? ReferredProduct { get; set; }
}

/// <summary><c>context.referred_product</c>.</summary>
public sealed class ReferredProduct : PayloadObject
{
    /// <summary>The catalog ID.</summary>
    public string? CatalogId { get; set; }

    /// <summary>The product's retailer ID (SKU).</summary>
    public string? ProductRetailerId { get; set; }
}

/// <summary><c>messages[].referral</c>: the Click-to-WhatsApp ad or post the user came from.</summary>
public sealed class Referral : PayloadObject
{
    /// <summary>The ad or post URL.</summary>
    public string? SourceUrl { get; set; }

    /// <summary>The ad or post ID.</summary>
    public string? SourceId { get; set; }

    /// <summary><c>ad</c> or <c>post</c>.</summary>
    public string? SourceType { get; set; }

    /// <summary>The ad's body text.</summary>
    public string? Body { get; set; }

    /// <summary>The ad's headline.</summary>
    public string? Headline { get; set; }

    /// <summary><c>image</c> or <c>video</c>.</summary>
    public string? MediaType { get; set; }

    /// <summary>The image URL, for image ads.</summary>
    public string? ImageUrl { get; set; }

    /// <summary>The video URL, for video ads.</summary>
    public string? VideoUrl { get; set; }

    /// <summary>The video thumbnail URL, for video ads.</summary>
    public string? ThumbnailUrl { get; set; }

    /// <summary>The click ID; omitted for WhatsApp Status ad placements.</summary>
    public string? CtwaClid { get; set; }

    /// <summary>The welcome message shown with the ad.</summary>
    public WelcomeMessage? WelcomeMessage { get; set; }
}

/// <summary><c>referral.welcome_message</c>.</summary>
public sealed class WelcomeMessage : PayloadObject
{
    /// <summary>The welcome text.</summary>
    public string? Text { get; set; }
}
