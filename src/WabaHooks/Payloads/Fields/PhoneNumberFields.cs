using System.Text.Json.Serialization;

namespace WabaHooks.Payloads;

/// <summary><c>phone_number_name_update</c>: the display name review.</summary>
public sealed class PhoneNumberNameUpdate : FieldValue
{
    /// <summary>The number as displayed.</summary>
    public string? DisplayPhoneNumber { get; set; }

    /// <summary><c>APPROVED</c>, <c>DEFERRED</c>, <c>PENDING</c> or <c>REJECTED</c>.</summary>
    public string? Decision { get; set; }

    /// <summary>The name asked for.</summary>
    public string? RequestedVerifiedName { get; set; }

    /// <summary>For example <c>NAME_INDIVIDUAL_ISSUE</c>; <see langword="null"/> when approved.</summary>
    public string? RejectionReason { get; set; }
}

/// <summary><c>phone_number_quality_update</c>: throughput and messaging-limit changes. <see cref="Event"/> is kept open (<c>FLAGGED</c>, <c>UPGRADE</c>, … occur).</summary>
public sealed class PhoneNumberQualityUpdate : FieldValue
{
    /// <summary>The number as displayed.</summary>
    public string? DisplayPhoneNumber { get; set; }

    /// <summary><c>ONBOARDING</c>, <c>THROUGHPUT_UPGRADE</c>, or a legacy value.</summary>
    public string? Event { get; set; }

    /// <summary>The previous tier (removed Feb 2026).</summary>
    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? OldLimit { get; set; }

    /// <summary>The current tier (removed Feb 2026).</summary>
    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? CurrentLimit { get; set; }

    /// <summary>A <c>TIER_*</c> value.</summary>
    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? MaxDailyConversationsPerBusiness { get; set; }
}

/// <summary><c>security</c>: two-step verification PIN changes.</summary>
public sealed class SecurityUpdate : FieldValue
{
    /// <summary>The number as displayed.</summary>
    public string? DisplayPhoneNumber { get; set; }

    /// <summary><c>PIN_CHANGED</c>, <c>PIN_RESET_REQUEST</c> or <c>PIN_REQUEST_SUCCESS</c>.</summary>
    public string? Event { get; set; }

    /// <summary>The Meta Business Suite user who asked for a reset.</summary>
    public string? Requester { get; set; }
}
