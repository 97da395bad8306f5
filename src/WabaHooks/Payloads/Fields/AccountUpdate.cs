namespace WabaHooks.Payloads;

/// <summary><c>account_update</c>: WABA lifecycle, violations, partner changes, pricing tiers. <see cref="Event"/> says which parts are set.</summary>
public sealed class AccountUpdate : FieldValue
{
    /// <summary>For example <c>ACCOUNT_VIOLATION</c>, <c>PARTNER_ADDED</c> or <c>DISABLED_UPDATE</c>; kept open.</summary>
    public string? Event { get; set; }

    /// <summary>The phone number (older <c>VERIFIED_ACCOUNT</c> events).</summary>
    public string? PhoneNumber { get; set; }

    /// <summary>ISO 3166-1 alpha-2 country (<c>BUSINESS_PRIMARY_LOCATION_COUNTRY_UPDATE</c>).</summary>
    public string? Country { get; set; }

    /// <summary>The violation (<c>ACCOUNT_VIOLATION</c>).</summary>
    public ViolationInfo? ViolationInfo { get; set; }

    /// <summary>The WABA concerned (partner, MM Lite and ad-account events).</summary>
    public WabaInfo? WabaInfo { get; set; }

    /// <summary>Authentication-international pricing eligibility.</summary>
    public AuthInternationalRateEligibility? AuthInternationalRateEligibility { get; set; }

    /// <summary>The ban (<c>DISABLED_UPDATE</c>).</summary>
    public BanInfo? BanInfo { get; set; }

    /// <summary>A partner's client certification (<c>PARTNER_CLIENT_CERTIFICATION_STATUS_UPDATE</c>).</summary>
    public PartnerClientCertificationInfo? PartnerClientCertificationInfo { get; set; }

    /// <summary>The volume pricing tier (<c>VOLUME_BASED_PRICING_TIER_UPDATE</c>).</summary>
    public VolumeTierInfo? VolumeTierInfo { get; set; }
}

/// <summary><c>violation_info</c>.</summary>
public sealed class ViolationInfo : PayloadObject
{
    /// <summary>For example <c>SCAM</c> or <c>ADULT</c>.</summary>
    public string? ViolationType { get; set; }
}

/// <summary><c>waba_info</c>.</summary>
public sealed class WabaInfo : PayloadObject
{
    /// <summary>The WABA ID.</summary>
    public string? WabaId { get; set; }

    /// <summary>The business portfolio that owns the WABA.</summary>
    public string? OwnerBusinessId { get; set; }

    /// <summary>The partner app.</summary>
    public string? PartnerAppId { get; set; }

    /// <summary>The Multi-Partner Solution.</summary>
    public string? SolutionId { get; set; }

    /// <summary>The solution's partner portfolios.</summary>
    public IReadOnlyList<string>? SolutionPartnerBusinessIds { get; set; }

    /// <summary>The linked ad account (<c>AD_ACCOUNT_LINKED</c>).</summary>
    public string? AdAccountLinked { get; set; }
}

/// <summary><c>auth_international_rate_eligibility</c>.</summary>
public sealed class AuthInternationalRateEligibility : PayloadObject
{
    /// <summary>When the rate applies.</summary>
    public DateTimeOffset? StartTime { get; set; }

    /// <summary>Countries with their own start time.</summary>
    public IReadOnlyList<ExceptionCountry>? ExceptionCountries { get; set; }
}

/// <summary><c>exception_countries[]</c>.</summary>
public sealed class ExceptionCountry : PayloadObject
{
    /// <summary>ISO country code.</summary>
    public string? CountryCode { get; set; }

    /// <summary>When the rate applies in that country.</summary>
    public DateTimeOffset? StartTime { get; set; }
}

/// <summary><c>ban_info</c>.</summary>
public sealed class BanInfo : PayloadObject
{
    /// <summary><c>DISABLE</c>, <c>REINSTATE</c> or <c>SCHEDULE_FOR_DISABLE</c>.</summary>
    public string? WabaBanState { get; set; }

    /// <summary>A human-readable date such as <c>April 17, 2025</c>; kept as text.</summary>
    public string? WabaBanDate { get; set; }
}

/// <summary><c>partner_client_certification_info</c>.</summary>
public sealed class PartnerClientCertificationInfo : PayloadObject
{
    /// <summary>The client's business portfolio.</summary>
    public string? ClientBusinessId { get; set; }

    /// <summary><c>APPROVED</c>, <c>DISCARDED</c>, <c>FAILED</c>, <c>PENDING</c> or <c>REVOKED</c>.</summary>
    public string? Status { get; set; }

    /// <summary>Reasons, which contain spaces (<c>LEGAL NAME NOT MATCHING</c>).</summary>
    public IReadOnlyList<string>? RejectionReasons { get; set; }
}

/// <summary><c>volume_tier_info</c>.</summary>
public sealed class VolumeTierInfo : PayloadObject
{
    /// <summary>When the tier changed.</summary>
    public DateTimeOffset? TierUpdateTime { get; set; }

    /// <summary>The pricing category, for example <c>UTILITY</c>.</summary>
    public string? PricingCategory { get; set; }

    /// <summary>The tier range, for example <c>25000001:50000000</c>.</summary>
    public string? Tier { get; set; }

    /// <summary><c>YYYY-MM</c>.</summary>
    public string? EffectiveMonth { get; set; }

    /// <summary>The pricing region.</summary>
    public string? Region { get; set; }
}
