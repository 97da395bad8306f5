using System.Text.Json;

namespace WabaHooks.Payloads;

/// <summary>
/// <c>account_settings_update</c>: a phone number's calling settings changed (also for the business's own changes).
/// No <c>metadata</c>: <see cref="PhoneNumberSettings"/> names the number.
/// </summary>
public sealed class AccountSettingsUpdate : FieldValue
{
    /// <summary>Always <c>whatsapp</c>.</summary>
    public string? MessagingProduct { get; set; }

    /// <summary>When it changed (an integer in 2025 samples, a string in 2026 ones; both read).</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary><c>PHONE_NUMBER_SETTINGS</c> (Meta's sample writes <c>[phone_number_settings]</c>).</summary>
    public string? Type { get; set; }

    /// <summary>The number and its settings; may be <see langword="null"/>.</summary>
    public PhoneNumberSettings? PhoneNumberSettings { get; set; }
}

/// <summary><c>phone_number_settings</c>.</summary>
public sealed class PhoneNumberSettings : PayloadObject
{
    /// <summary>The phone number ID.</summary>
    public string? PhoneNumberId { get; set; }

    /// <summary>The calling settings, as <c>GET /{phone-number-id}/settings</c> gives them.</summary>
    public CallingSettings? Calling { get; set; }
}

/// <summary><c>calling</c> settings.</summary>
public sealed class CallingSettings : PayloadObject
{
    /// <summary><c>ENABLED</c> or <c>DISABLED</c>.</summary>
    public string? Status { get; set; }

    /// <summary><c>DEFAULT</c> or <c>DISABLE_ALL</c>.</summary>
    public string? CallIconVisibility { get; set; }

    /// <summary><c>ENABLED</c> or <c>DISABLED</c>.</summary>
    public string? CallbackPermissionStatus { get; set; }

    /// <summary>The business hours as sent.</summary>
    public JsonElement? CallHours { get; set; }

    /// <summary>SIP signalling.</summary>
    public SipSettings? Sip { get; set; }

    /// <summary>For example <c>DTLS</c> or <c>SDES</c>.</summary>
    public string? SrtpKeyExchangeProtocol { get; set; }
}

/// <summary><c>sip</c> settings.</summary>
public sealed class SipSettings : PayloadObject
{
    /// <summary><c>ENABLED</c> or <c>DISABLED</c>.</summary>
    public string? Status { get; set; }

    /// <summary>The SIP servers.</summary>
    public IReadOnlyList<SipServer>? Servers { get; set; }
}

/// <summary><c>servers[]</c> of the SIP settings.</summary>
public sealed class SipServer : PayloadObject
{
    /// <summary>The host name.</summary>
    public string? Hostname { get; set; }

    /// <summary>The port.</summary>
    public int? Port { get; set; }
}
