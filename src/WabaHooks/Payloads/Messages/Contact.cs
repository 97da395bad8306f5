namespace WabaHooks.Payloads;

/// <summary>A <c>value.contacts[]</c> item: the WhatsApp user a message came from (or a status went to).</summary>
public sealed class Contact : PayloadObject
{
    /// <summary>The user's profile.</summary>
    public ContactProfile? Profile { get; set; }

    /// <summary>The user's WhatsApp ID (phone number). Omitted for users who adopted a username (2026).</summary>
    public string? WaId { get; set; }

    /// <summary>The business-scoped user ID (BSUID), for example <c>US.13491208655302741918</c>.</summary>
    public string? UserId { get; set; }

    /// <summary>The parent business-scoped user ID.</summary>
    public string? ParentUserId { get; set; }

    /// <summary>Present only when the identity-change check is enabled.</summary>
    public string? IdentityKeyHash { get; set; }
}

/// <summary><c>contacts[].profile</c>.</summary>
public sealed class ContactProfile : PayloadObject
{
    /// <summary>The user's profile name.</summary>
    public string? Name { get; set; }

    /// <summary>The user's WhatsApp username, when set.</summary>
    public string? Username { get; set; }
}
