namespace WabaHooks.Payloads;

/// <summary>
/// <c>group_lifecycle_update</c>, <c>group_settings_update</c> and <c>group_participant_update</c> (Groups API): one
/// shape for all three.
/// </summary>
public sealed class GroupUpdate : FieldValue, IPhoneNumberValue
{
    /// <summary>Always <c>whatsapp</c>.</summary>
    public string? MessagingProduct { get; init; }

    /// <inheritdoc />
    public Metadata? Metadata { get; init; }

    /// <summary>The group changes.</summary>
    public IReadOnlyList<GroupChange>? Groups { get; init; }
}

/// <summary><c>groups[]</c>.</summary>
public sealed class GroupChange : PayloadObject
{
    /// <summary>When it happened.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The group ID.</summary>
    public string? GroupId { get; init; }

    /// <summary><c>group_create</c>, <c>group_delete</c>, <c>group_settings_update</c>, <c>group_add_participants</c>, <c>group_remove_participants</c>, …</summary>
    public string? Type { get; init; }

    /// <summary>The ID of the API request that caused it.</summary>
    public string? RequestId { get; init; }

    /// <summary>The group subject.</summary>
    public string? Subject { get; init; }

    /// <summary>The group description.</summary>
    public string? Description { get; init; }

    /// <summary>Members added.</summary>
    public IReadOnlyList<GroupParticipant>? AddedParticipants { get; init; }

    /// <summary>Members removed.</summary>
    public IReadOnlyList<GroupParticipant>? RemovedParticipants { get; init; }

    /// <summary>The new group picture.</summary>
    public GroupProfilePicture? ProfilePicture { get; init; }
}

/// <summary>A group member in <c>added_participants</c> or <c>removed_participants</c>.</summary>
public sealed class GroupParticipant : PayloadObject
{
    /// <summary>What the request named.</summary>
    public string? Input { get; init; }

    /// <summary>The member's WhatsApp ID.</summary>
    public string? WaId { get; init; }
}

/// <summary><c>profile_picture</c>.</summary>
public sealed class GroupProfilePicture : PayloadObject
{
    /// <summary>The MIME type.</summary>
    public string? MimeType { get; init; }

    /// <summary>The SHA-256 of the image.</summary>
    public string? Sha256 { get; init; }
}
