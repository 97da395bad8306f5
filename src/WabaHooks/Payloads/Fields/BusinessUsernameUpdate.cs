namespace WabaHooks.Payloads;

/// <summary>
/// <c>business_username_updates</c>: the business username of a phone number was approved, reserved or deleted.
/// Meta's sample labels the change <c>business_username_update</c> (singular); both read as this.
/// </summary>
public sealed class BusinessUsernameUpdate : FieldValue
{
    /// <summary>The business phone number.</summary>
    public string? DisplayPhoneNumber { get; set; }

    /// <summary>The username; absent when it was deleted.</summary>
    public string? Username { get; set; }

    /// <summary><c>approved</c>, <c>deleted</c> or <c>reserved</c>; keep it open.</summary>
    public string? Status { get; set; }

    /// <summary>Why, when Meta says: <c>revoked</c>.</summary>
    public string? Context { get; set; }
}
