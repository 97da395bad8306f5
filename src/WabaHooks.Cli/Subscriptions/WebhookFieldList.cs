using WabaHooks.Payloads;

namespace WabaHooks.Cli.Subscriptions;

/// <summary>
/// The <c>--fields</c> of the subscription commands: comma-separated names from <see cref="WhatsAppFields.Documented"/>,
/// or <c>all</c> for every one of them. A name Meta does not document is refused here with the list, because the Graph
/// API's own refusal names no alternative and a misspelt field otherwise shows only as webhooks that never come.
/// </summary>
internal static class WebhookFieldList
{
    /// <summary>The word that stands for every documented field.</summary>
    public const string All = "all";

    /// <summary>
    /// The fields named by <paramref name="value"/>, in the order given, each once; problems go to
    /// <paramref name="errors"/>. With <paramref name="onlyDocumented"/> off, any name passes (for removing one).
    /// </summary>
    public static IReadOnlyList<string> Resolve(string? value, string option, ICollection<string> errors, bool onlyDocumented = true)
    {
        var given = value?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (given.Length == 0)
        {
            errors.Add($"{option} needs at least one field, such as messages, or {All}.");
            return [];
        }

        if (given.Contains(All, StringComparer.Ordinal))
        {
            return WhatsAppFields.Documented;
        }

        var unknown = !onlyDocumented ? [] : given.Where(name => !WhatsAppFields.Documented.Contains(name, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            errors.Add($"{option}: {string.Join(", ", unknown)} {(unknown.Count == 1 ? "is not a field" : "are not fields")} Meta documents for whatsapp_business_account. "
                + $"The fields are: {string.Join(", ", WhatsAppFields.Documented)} (or {All}).");
        }

        return [.. given.Distinct(StringComparer.Ordinal)];
    }
}
