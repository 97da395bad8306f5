using System.Text.Json;

namespace WabaHooks.Payloads;

/// <summary><c>flows</c>: flow lifecycle and health. Events other than <c>FLOW_STATUS_CHANGE</c> keep their metrics in <see cref="PayloadObject.ExtensionData"/>.</summary>
public sealed class FlowsUpdate : FieldValue
{
    /// <summary>For example <c>FLOW_STATUS_CHANGE</c> or <c>ENDPOINT_ERROR_RATE</c>.</summary>
    public string? Event { get; set; }

    /// <summary>Text for people.</summary>
    public string? Message { get; set; }

    /// <summary>The flow ID.</summary>
    public string? FlowId { get; set; }

    /// <summary>The status before.</summary>
    public string? OldStatus { get; set; }

    /// <summary>The status now: <c>DRAFT</c>, <c>PUBLISHED</c>, <c>DEPRECATED</c>, <c>BLOCKED</c>, <c>THROTTLED</c>.</summary>
    public string? NewStatus { get; set; }
}

/// <summary><c>partner_solutions</c>: a Multi-Partner Solution created or updated. <c>entry.id</c> is the portfolio.</summary>
public sealed class PartnerSolutionsUpdate : FieldValue
{
    /// <summary><c>SOLUTION_CREATED</c> or <c>SOLUTION_UPDATED</c>.</summary>
    public string? Event { get; set; }

    /// <summary>The solution ID.</summary>
    public string? SolutionId { get; set; }

    /// <summary><c>ACTIVE</c>, <c>DEACTIVATED</c>, <c>DRAFT</c>, <c>INITIATED</c>, <c>PENDING_DEACTIVATION</c> or <c>REJECTED</c>.</summary>
    public string? SolutionStatus { get; set; }
}

/// <summary><c>payment_configuration_update</c> (Payments API, India and Brazil).</summary>
public sealed class PaymentConfigurationUpdate : FieldValue
{
    /// <summary>The configuration's name.</summary>
    public string? ConfigurationName { get; set; }

    /// <summary>For example <c>razorpay</c>.</summary>
    public string? ProviderName { get; set; }

    /// <summary>The merchant ID at the provider.</summary>
    public string? ProviderMid { get; set; }

    /// <summary><c>Active</c>, <c>Needs Connecting</c>, <c>Needs Testing</c> (spaces and mixed case as sent).</summary>
    public string? Status { get; set; }

    /// <summary>When the configuration was created.</summary>
    public DateTimeOffset? CreatedTimestamp { get; set; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset? UpdatedTimestamp { get; set; }
}

/// <summary>
/// A whole <c>calls</c> change (Calling API), for the rare value with nothing to split: no <c>calls</c>, <c>statuses</c>
/// or <c>errors</c> items, or one of them in a shape that is not an array. Other calls changes are split into
/// <see cref="CallEvent"/>, <see cref="CallStatus"/> and error events, so the content here stays raw.
/// </summary>
public sealed class CallsUpdate : FieldValue, IPhoneNumberValue
{
    /// <summary>Always <c>whatsapp</c>.</summary>
    public string? MessagingProduct { get; set; }

    /// <inheritdoc />
    public Metadata? Metadata { get; set; }

    /// <summary>The users concerned.</summary>
    public IReadOnlyList<Contact>? Contacts { get; set; }

    /// <summary>The <c>calls</c> array as sent.</summary>
    public JsonElement? Calls { get; set; }
}
