using System.Text.Json;

namespace WabaHooks.Dashboard.Views;

/// <summary>One change in a WhatsApp timeline: a template's status, a number's quality, an account alert.</summary>
/// <param name="EventId">The event.</param>
/// <param name="At">When it was stored.</param>
/// <param name="Field">The change's field.</param>
/// <param name="Subject">What it is about: a template (name and language), a phone number, the account.</param>
/// <param name="What">What changed, in Meta's words (APPROVED, GREEN → YELLOW, TIER_2K → TIER_10K, …).</param>
/// <param name="Kind">The badge colour: approved, flagged, rejected, info.</param>
/// <param name="Detail">Meta's reason or description, when it gave one.</param>
public sealed record TimelineEntry(string EventId, DateTimeOffset At, string Field, string Subject, string What, string Kind, string? Detail);

/// <summary>The WhatsApp views: which fields each shows, and how one change reads.</summary>
public static class WhatsAppTimeline
{
    /// <summary>Template lifecycle: status, quality, category and components updates.</summary>
    public static readonly IReadOnlyList<string> TemplateFields = ["message_template_status_update", "message_template_quality_update", "template_category_update", "message_template_components_update"];

    /// <summary>Phone numbers: quality rating and messaging limit, display name reviews.</summary>
    public static readonly IReadOnlyList<string> PhoneFields = ["phone_number_quality_update", "phone_number_name_update"];

    /// <summary>The account: alerts, bans and restrictions, reviews, capability changes.</summary>
    public static readonly IReadOnlyList<string> AccountFields = ["account_alerts", "account_update", "account_review_update", "business_capability_update"];

    /// <summary>Reads one change; a value that does not parse still shows, as its field.</summary>
    public static TimelineEntry Read(string eventId, DateTimeOffset at, string field, ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var v = document.RootElement;
            if (v.ValueKind == JsonValueKind.Object && v.TryGetProperty("value", out var inner) && inner.ValueKind == JsonValueKind.Object)
            {
                v = inner;
            }

            return field switch
            {
                "message_template_status_update" => Entry(Template(v), S(v, "event") ?? "?", S(v, "reason") is { } r && r != "NONE" ? r : S(v, "other_info", "description")),
                "message_template_quality_update" => Entry(Template(v), $"quality {S(v, "previous_quality_score") ?? "?"} → {S(v, "new_quality_score") ?? "?"}", null, S(v, "new_quality_score")),
                "template_category_update" => Entry(Template(v), S(v, "previous_category") is { } before ? $"category {before} → {S(v, "new_category")}" : $"category will be {S(v, "correct_category") ?? S(v, "new_category")}", null),
                "message_template_components_update" => Entry(Template(v), "components updated", S(v, "message_template_element")),
                "phone_number_quality_update" => Entry(S(v, "display_phone_number") ?? "phone number", Limit(v), null, S(v, "event")),
                "phone_number_name_update" => Entry(S(v, "display_phone_number") ?? "phone number", $"name {S(v, "decision") ?? "?"}: {S(v, "requested_verified_name")}", S(v, "rejection_reason")),
                "account_alerts" => Entry($"{S(v, "entity_type")} {S(v, "entity_id")}", $"{S(v, "alert_info", "alert_severity")} {S(v, "alert_info", "alert_type")}", S(v, "alert_info", "alert_description"), S(v, "alert_info", "alert_severity")),
                "account_update" => Entry("account", S(v, "event") ?? "?", Join(S(v, "ban_info", "waba_ban_state"), S(v, "ban_info", "waba_ban_date"), S(v, "violation_info", "violation_type"))),
                "account_review_update" => Entry("account review", S(v, "decision") ?? "?", null),
                "business_capability_update" => Entry("business", "capabilities changed", Join(S(v, "max_daily_conversation_per_phone"), S(v, "max_phone_numbers_per_business"))),
                _ => Entry(field, field, null),
            };
        }
        catch (JsonException)
        {
            return Entry(field, "(value did not parse)", null);
        }

        TimelineEntry Entry(string subject, string what, string? detail, string? status = null) =>
            new(eventId, at, field, subject, what, KindOf(status ?? what), detail);
    }

    private static string Template(JsonElement v) =>
        $"{S(v, "message_template_name") ?? S(v, "message_template_id") ?? "template"} ({S(v, "message_template_language") ?? "?"})";

    private static string Limit(JsonElement v) =>
        S(v, "old_limit") is { } old ? $"{S(v, "event")}: limit {old} → {S(v, "current_limit")}" : $"{S(v, "event")}: limit {S(v, "current_limit") ?? "?"}";

    private static string? Join(params string?[] parts) => parts.Any(p => p is not null) ? string.Join(" · ", parts.Where(p => p is not null)) : null;

    private static string KindOf(string what)
    {
        var w = what.ToUpperInvariant();
        return w.Contains("REJECT", StringComparison.Ordinal) || w.Contains("DISABLE", StringComparison.Ordinal) || w.Contains("BAN", StringComparison.Ordinal)
                || w.Contains("RED", StringComparison.Ordinal) || w.Contains("CRITICAL", StringComparison.Ordinal) || w.Contains("DOWNGRADE", StringComparison.Ordinal) ? "red"
            : w.Contains("FLAG", StringComparison.Ordinal) || w.Contains("PAUSE", StringComparison.Ordinal) || w.Contains("YELLOW", StringComparison.Ordinal)
                || w.Contains("WARNING", StringComparison.Ordinal) || w.Contains("PENDING", StringComparison.Ordinal) ? "yellow"
            : w.Contains("APPROVE", StringComparison.Ordinal) || w.Contains("GREEN", StringComparison.Ordinal) || w.Contains("UPGRADE", StringComparison.Ordinal) ? "green"
            : "info";
    }

    private static string? S(JsonElement v, params string[] path)
    {
        foreach (var name in path)
        {
            if (v.ValueKind != JsonValueKind.Object || !v.TryGetProperty(name, out v))
            {
                return null;
            }
        }

        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
            _ => null,
        };
    }
}
