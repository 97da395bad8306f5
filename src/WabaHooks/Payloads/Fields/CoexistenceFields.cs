namespace WabaHooks.Payloads;

/// <summary><c>user_preferences</c>: users who stopped or resumed marketing messages.</summary>
public sealed class UserPreferencesUpdate : FieldValue, IPhoneNumberValue
{
    /// <summary>Always <c>whatsapp</c>.</summary>
    public string? MessagingProduct { get; set; }

    /// <inheritdoc />
    public Metadata? Metadata { get; set; }

    /// <summary>The users concerned.</summary>
    public IReadOnlyList<Contact>? Contacts { get; set; }

    /// <summary>The preference changes.</summary>
    public IReadOnlyList<UserPreference>? UserPreferences { get; set; }
}

/// <summary><c>user_preferences[]</c>.</summary>
public sealed class UserPreference : PayloadObject
{
    /// <summary>The user's WhatsApp ID.</summary>
    public string? WaId { get; set; }

    /// <summary>The user's business-scoped user ID.</summary>
    public string? UserId { get; set; }

    /// <summary>Text for people.</summary>
    public string? Detail { get; set; }

    /// <summary><c>marketing_messages</c>.</summary>
    public string? Category { get; set; }

    /// <summary><c>stop</c> or <c>resume</c>.</summary>
    public string? Value { get; set; }

    /// <summary>When the user changed it.</summary>
    public DateTimeOffset? Timestamp { get; set; }
}

/// <summary><c>smb_message_echoes</c>: messages the business sent from the WhatsApp Business app or a linked device.</summary>
public sealed class SmbMessageEchoes : FieldValue, IPhoneNumberValue
{
    /// <summary>Always <c>whatsapp</c>.</summary>
    public string? MessagingProduct { get; set; }

    /// <inheritdoc />
    public Metadata? Metadata { get; set; }

    /// <summary>The echoed messages, typed like inbound ones; <see cref="InboundMessage.To"/> is the user.</summary>
    public IReadOnlyList<InboundMessage>? MessageEchoes { get; set; }
}

/// <summary><c>smb_app_state_sync</c>: contact-book changes in the WhatsApp Business app (coexistence).</summary>
public sealed class SmbAppStateSync : FieldValue, IPhoneNumberValue
{
    /// <summary>Always <c>whatsapp</c>.</summary>
    public string? MessagingProduct { get; set; }

    /// <inheritdoc />
    public Metadata? Metadata { get; set; }

    /// <summary>The changes.</summary>
    public IReadOnlyList<StateSyncItem>? StateSync { get; set; }
}

/// <summary><c>state_sync[]</c>.</summary>
public sealed class StateSyncItem : PayloadObject
{
    /// <summary><c>contact</c>.</summary>
    public string? Type { get; set; }

    /// <summary>The contact.</summary>
    public StateSyncContact? Contact { get; set; }

    /// <summary><c>add</c> or <c>remove</c>.</summary>
    public string? Action { get; set; }

    /// <summary>When it changed.</summary>
    public StateSyncMetadata? Metadata { get; set; }
}

/// <summary><c>state_sync[].contact</c>.</summary>
public sealed class StateSyncContact : PayloadObject
{
    /// <summary>Full name.</summary>
    public string? FullName { get; set; }

    /// <summary>First name.</summary>
    public string? FirstName { get; set; }

    /// <summary>Phone number.</summary>
    public string? PhoneNumber { get; set; }
}

/// <summary><c>state_sync[].metadata</c>.</summary>
public sealed class StateSyncMetadata : PayloadObject
{
    /// <summary>When it changed.</summary>
    public DateTimeOffset? Timestamp { get; set; }
}

/// <summary><c>history</c>: chat-history sync for coexistence customers, in chunks.</summary>
public sealed class HistoryUpdate : FieldValue, IPhoneNumberValue
{
    /// <summary>Always <c>whatsapp</c>.</summary>
    public string? MessagingProduct { get; set; }

    /// <inheritdoc />
    public Metadata? Metadata { get; set; }

    /// <summary>The chunks.</summary>
    public IReadOnlyList<HistoryChunk>? History { get; set; }
}

/// <summary><c>history[]</c>.</summary>
public sealed class HistoryChunk : PayloadObject
{
    /// <summary>Where the chunk sits in the sync.</summary>
    public HistoryMetadata? Metadata { get; set; }

    /// <summary>The chats.</summary>
    public IReadOnlyList<HistoryThread>? Threads { get; set; }
}

/// <summary><c>history[].metadata</c>.</summary>
public sealed class HistoryMetadata : PayloadObject
{
    /// <summary>The sync phase.</summary>
    public long? Phase { get; set; }

    /// <summary>The chunk's position.</summary>
    public long? ChunkOrder { get; set; }

    /// <summary>Percentage done.</summary>
    public long? Progress { get; set; }
}

/// <summary><c>history[].threads[]</c>: one chat.</summary>
public sealed class HistoryThread : PayloadObject
{
    /// <summary>The user's WhatsApp ID.</summary>
    public string? Id { get; set; }

    /// <summary>The messages; each keeps its <c>history_context</c> in <see cref="PayloadObject.ExtensionData"/>.</summary>
    public IReadOnlyList<InboundMessage>? Messages { get; set; }
}
