namespace WabaHooks.Payloads;

/// <summary>What every template field names: the template's ID, name and language.</summary>
public abstract class TemplateFieldValue : FieldValue
{
    /// <summary>The template ID, a JSON integer of up to 16 digits.</summary>
    public long? MessageTemplateId { get; set; }

    /// <summary>The template name.</summary>
    public string? MessageTemplateName { get; set; }

    /// <summary>The language code, <c>en_US</c> or <c>en-US</c>.</summary>
    public string? MessageTemplateLanguage { get; set; }
}

/// <summary>
/// <c>message_template_quality_update</c>. Meta's own sample labels it <c>message_template_status_update</c>; the
/// splitter recognises it there by <c>new_quality_score</c>.
/// </summary>
public sealed class MessageTemplateQualityUpdate : TemplateFieldValue
{
    /// <summary><c>GREEN</c>, <c>YELLOW</c>, <c>RED</c> or <c>UNKNOWN</c>.</summary>
    public string? PreviousQualityScore { get; set; }

    /// <summary><c>GREEN</c>, <c>YELLOW</c>, <c>RED</c> or <c>UNKNOWN</c>.</summary>
    public string? NewQualityScore { get; set; }
}

/// <summary><c>message_template_status_update</c>: a template approved, rejected, paused, disabled, …</summary>
public sealed class MessageTemplateStatusUpdate : TemplateFieldValue
{
    /// <summary>For example <c>APPROVED</c>, <c>REJECTED</c>, <c>PAUSED</c>, <c>PENDING_DELETION</c>; kept open.</summary>
    public string? Event { get; set; }

    /// <summary>For example <c>NONE</c> or <c>INVALID_FORMAT</c>; JSON <c>null</c> for pending deletion.</summary>
    public string? Reason { get; set; }

    /// <summary><c>MARKETING</c>, <c>UTILITY</c> or <c>AUTHENTICATION</c>.</summary>
    public string? MessageTemplateCategory { get; set; }

    /// <summary>When disabled.</summary>
    public DisableInfo? DisableInfo { get; set; }

    /// <summary>When paused, unpaused, locked or unlocked.</summary>
    public OtherInfo? OtherInfo { get; set; }

    /// <summary>On <c>REJECTED</c> with <c>INVALID_FORMAT</c>.</summary>
    public RejectionInfo? RejectionInfo { get; set; }
}

/// <summary><c>disable_info</c>.</summary>
public sealed class DisableInfo : PayloadObject
{
    /// <summary>When the template is disabled.</summary>
    public DateTimeOffset? DisableDate { get; set; }
}

/// <summary><c>other_info</c>.</summary>
public sealed class OtherInfo : PayloadObject
{
    /// <summary><c>FIRST_PAUSE</c>, <c>SECOND_PAUSE</c>, <c>RATE_LIMITING_PAUSE</c>, <c>UNPAUSE</c> or <c>DISABLED</c>.</summary>
    public string? Title { get; set; }

    /// <summary>Text for people.</summary>
    public string? Description { get; set; }
}

/// <summary><c>rejection_info</c>.</summary>
public sealed class RejectionInfo : PayloadObject
{
    /// <summary>Why it was rejected.</summary>
    public string? Reason { get; set; }

    /// <summary>What to change.</summary>
    public string? Recommendation { get; set; }
}

/// <summary><c>template_category_update</c>: impending (24 h notice) or completed recategorisation.</summary>
public sealed class TemplateCategoryUpdate : TemplateFieldValue
{
    /// <summary>The category before (completed).</summary>
    public string? PreviousCategory { get; set; }

    /// <summary>The new category (completed) — or, confusingly, the <em>current</em> category (impending).</summary>
    public string? NewCategory { get; set; }

    /// <summary>The category it will become (impending).</summary>
    public string? CorrectCategory { get; set; }

    /// <summary>When the change takes effect (impending).</summary>
    public DateTimeOffset? CategoryUpdateTimestamp { get; set; }
}

/// <summary><c>message_template_components_update</c>: a template's content was edited.</summary>
public sealed class MessageTemplateComponentsUpdate : TemplateFieldValue
{
    /// <summary>The body.</summary>
    public string? MessageTemplateElement { get; set; }

    /// <summary>The header title.</summary>
    public string? MessageTemplateTitle { get; set; }

    /// <summary>The footer.</summary>
    public string? MessageTemplateFooter { get; set; }

    /// <summary>The buttons.</summary>
    public IReadOnlyList<TemplateButton>? MessageTemplateButtons { get; set; }
}

/// <summary><c>message_template_buttons[]</c>.</summary>
public sealed class TemplateButton : PayloadObject
{
    /// <summary><c>URL</c>, <c>PHONE_NUMBER</c>, <c>QUICK_REPLY</c>, <c>COPY_CODE</c>, …</summary>
    public string? MessageTemplateButtonType { get; set; }

    /// <summary>The label.</summary>
    public string? MessageTemplateButtonText { get; set; }

    /// <summary>The URL (URL buttons).</summary>
    public string? MessageTemplateButtonUrl { get; set; }

    /// <summary>The phone number (phone buttons).</summary>
    public string? MessageTemplateButtonPhoneNumber { get; set; }
}

/// <summary><c>template_correct_category_detection</c>: Meta suggests a template belongs to another category.</summary>
public sealed class TemplateCorrectCategoryDetection : TemplateFieldValue
{
    /// <summary>The category Meta suggests: <c>MARKETING</c>, <c>UTILITY</c> or <c>AUTHENTICATION</c>.</summary>
    public string? SuggestedCategory { get; set; }

    /// <summary>The template's category now.</summary>
    public string? CurrentCategory { get; set; }
}
