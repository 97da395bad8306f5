namespace WabaHooks.Payloads;

/// <summary><c>account_review_update</c>: the outcome of a WABA policy review.</summary>
public sealed class AccountReviewUpdate : FieldValue
{
    /// <summary><c>APPROVED</c>, <c>REJECTED</c>, <c>PENDING</c> or <c>DEFERRED</c>.</summary>
    public string? Decision { get; set; }
}
