namespace WabaHooks.Payloads;

/// <summary>
/// <c>user_id_update</c>: users whose business-scoped user ID (BSUID) changed. The splitter gives one event per
/// <see cref="UserIdChange"/>; this whole value is the payload only when it holds none.
/// </summary>
public sealed class UserIdUpdate : FieldValue, IPhoneNumberValue
{
    /// <summary>Always <c>whatsapp</c>.</summary>
    public string? MessagingProduct { get; set; }

    /// <inheritdoc />
    public Metadata? Metadata { get; set; }

    /// <summary>The users concerned.</summary>
    public IReadOnlyList<Contact>? Contacts { get; set; }

    /// <summary>The changes (Meta names the array after the field).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("user_id_update")]
    public IReadOnlyList<UserIdChange>? Changes { get; set; }
}

/// <summary><c>user_id_update[]</c>: one user's new BSUID.</summary>
public sealed class UserIdChange : PayloadObject
{
    /// <summary>The user's phone number, when known; omitted for users with a username.</summary>
    public string? WaId { get; set; }

    /// <summary>Text for people.</summary>
    public string? Detail { get; set; }

    /// <summary>The BSUID before and after.</summary>
    public UserIdPair? UserId { get; set; }

    /// <summary>The parent BSUID before and after, when the business has one.</summary>
    public UserIdPair? ParentUserId { get; set; }

    /// <summary>When it changed.</summary>
    public DateTimeOffset? Timestamp { get; set; }
}

/// <summary>An ID before and after a change.</summary>
public sealed class UserIdPair : PayloadObject
{
    /// <summary>The old ID.</summary>
    public string? Previous { get; set; }

    /// <summary>The new ID.</summary>
    public string? Current { get; set; }
}
