namespace WabaHooks.Payloads;

/// <summary>
/// <c>group_lifecycle_update</c>, <c>group_participants_update</c>, <c>group_settings_update</c> and
/// <c>group_status_update</c> (Groups API; also the singular <c>group_participant_update</c> an older note spells): one
/// shape for all. The splitter gives one event per <see cref="GroupChange"/>; this whole value is the payload only
/// when it holds none.
/// </summary>
public sealed class GroupUpdate : FieldValue, IPhoneNumberValue
{
    /// <summary>Always <c>whatsapp</c>.</summary>
    public string? MessagingProduct { get; set; }

    /// <inheritdoc />
    public Metadata? Metadata { get; set; }

    /// <summary>The group changes.</summary>
    public IReadOnlyList<GroupChange>? Groups { get; set; }
}

/// <summary><c>groups[]</c>.</summary>
public sealed class GroupChange : PayloadObject
{
    /// <summary>When it happened.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The group ID.</summary>
    public string? GroupId { get; set; }

    /// <summary>
    /// What happened; dispatch on it: <c>group_create</c>, <c>group_delete</c>, <c>group_settings_update</c>,
    /// <c>group_participants_add</c>, <c>group_participants_remove</c>, <c>group_join_request_created</c>,
    /// <c>group_join_request_revoked</c>, suspension and clearance, … Keep it open.
    /// </summary>
    public string? Type { get; set; }

    /// <summary>The ID of the API request that caused it.</summary>
    public string? RequestId { get; set; }

    /// <summary>The group subject.</summary>
    public string? Subject { get; set; }

    /// <summary>The group description.</summary>
    public string? Description { get; set; }

    /// <summary>Members added.</summary>
    public IReadOnlyList<GroupParticipant>? AddedParticipants { get; set; }

    /// <summary>Members removed.</summary>
    public IReadOnlyList<GroupParticipant>? RemovedParticipants { get; set; }

    /// <summary>The new group picture.</summary>
    public GroupProfilePicture? ProfilePicture { get; set; }

    /// <summary>Why a requested change failed, when it did.</summary>
    public IReadOnlyList<WhatsAppError>? Errors { get; set; }
}

/// <summary>A group member in <c>added_participants</c> or <c>removed_participants</c>.</summary>
public sealed class GroupParticipant : PayloadObject
{
    /// <summary>What the request named.</summary>
    public string? Input { get; set; }

    /// <summary>The member's WhatsApp ID.</summary>
    public string? WaId { get; set; }
}

/// <summary><c>profile_picture</c>.</summary>
public sealed class GroupProfilePicture : PayloadObject
{
    /// <summary>The MIME type.</summary>
    public string? MimeType { get; set; }

    /// <summary>The SHA-256 of the image.</summary>
    public string? Sha256 { get; set; }
}
