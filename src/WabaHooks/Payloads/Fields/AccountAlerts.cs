namespace WabaHooks.Payloads;

/// <summary><c>account_alerts</c>: messaging-limit decisions, Official Business Account status, profile picture lost.</summary>
public sealed class AccountAlerts : FieldValue
{
    /// <summary><c>BUSINESS</c>, <c>PHONE_NUMBER</c> or <c>CURRENT_STATUS_ID</c>.</summary>
    public string? EntityType { get; set; }

    /// <summary>The portfolio ID or phone-number ID the alert is about.</summary>
    public string? EntityId { get; set; }

    /// <summary>The alert.</summary>
    public AlertInfo? AlertInfo { get; set; }
}

/// <summary><c>alert_info</c>.</summary>
public sealed class AlertInfo : PayloadObject
{
    /// <summary><c>CRITICAL</c>, <c>WARNING</c> or <c>INFORMATIONAL</c>.</summary>
    public string? AlertSeverity { get; set; }

    /// <summary><c>ACTIVE</c> or <c>NONE</c>.</summary>
    public string? AlertStatus { get; set; }

    /// <summary>For example <c>OBA_APPROVED</c> or <c>PROFILE_PICTURE_LOST</c>.</summary>
    public string? AlertType { get; set; }

    /// <summary>Text for people; never branch on it.</summary>
    public string? AlertDescription { get; set; }
}
