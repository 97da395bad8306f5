namespace WabaHooks.Payloads;

/// <summary><c>value.metadata</c>: the business phone number a <c>messages</c>-family value concerns.</summary>
public sealed class Metadata : PayloadObject
{
    /// <summary>The number as displayed, digits only.</summary>
    public string? DisplayPhoneNumber { get; set; }

    /// <summary>The phone-number ID, the key for sending replies.</summary>
    public string? PhoneNumberId { get; set; }
}
