using System.Text.Json.Serialization;

namespace WabaHooks.Payloads;

/// <summary><c>business_capability_update</c>: WABA created, or a portfolio or WABA limit raised or lowered.</summary>
public sealed class BusinessCapabilityUpdate : FieldValue
{
    /// <summary><c>250</c>, <c>2000</c>, <c>10000</c>, <c>100000</c>, or <c>-1</c> for unlimited (removed Feb 2026).</summary>
    public long? MaxDailyConversationPerPhone { get; set; }

    /// <summary>
    /// A <c>TIER_*</c> value per the docs, an integer such as <c>2000</c> in Meta's example: either reads as its text.
    /// </summary>
    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? MaxDailyConversationsPerBusiness { get; set; }

    /// <summary>Only when the per-phone limit is 250.</summary>
    public long? MaxPhoneNumbersPerBusiness { get; set; }

    /// <summary>The number of phone numbers a WABA may have.</summary>
    public long? MaxPhoneNumbersPerWaba { get; set; }
}
