using System.Reflection;

namespace WabaHooks.Cli.Trigger;

/// <summary>
/// The example notifications embedded in the CLI, by field and variant. A file is named FIELD[-VARIANT].json; field
/// names use underscores and never hyphens, so the first hyphen ends the field.
/// </summary>
internal static class TemplateCatalog
{
    private const string ResourcePrefix = "Templates/";

    private static readonly Lazy<IReadOnlyList<NotificationTemplate>> Loaded = new(Load);

    /// <summary>Every template, ordered by field, then variant.</summary>
    public static IReadOnlyList<NotificationTemplate> All => Loaded.Value;

    public static IReadOnlyList<string> Fields => [.. All.Select(t => t.Field).Distinct()];

    public static IReadOnlyList<NotificationTemplate> ForField(string field) => [.. All.Where(t => t.Field == field)];

    /// <summary>
    /// The variant sent when none is asked for, for fields with no plain example: the most ordinary event of each, so
    /// <c>wabahooks trigger FIELD</c> works for every field.
    /// </summary>
    private static readonly Dictionary<string, string> Defaults = new(StringComparer.Ordinal)
    {
        ["messages"] = "text",
        ["account_update"] = "volume-tier",
        ["calls"] = "connect-user-initiated",
        ["message_template_status_update"] = "approved",
        ["phone_number_name_update"] = "approved",
        ["phone_number_quality_update"] = "limit-change",
        ["security"] = "pin-changed",
        ["template_category_update"] = "completed",
    };

    /// <summary>
    /// The template for a field and variant. Without a variant: the field's plain example, else its chosen default
    /// variant (<c>text</c> for <c>messages</c>), else its first variant; null only for an unknown field.
    /// </summary>
    public static NotificationTemplate? Find(string field, string? variant)
    {
        var candidates = ForField(field);
        if (variant is not null)
        {
            return candidates.FirstOrDefault(t => t.Variant == variant);
        }

        return candidates.FirstOrDefault(t => t.Variant == NotificationTemplate.DefaultVariant)
            ?? (Defaults.TryGetValue(field, out var chosen) ? candidates.FirstOrDefault(t => t.Variant == chosen) : null)
            ?? candidates.FirstOrDefault();
    }

    private static List<NotificationTemplate> Load()
    {
        var assembly = typeof(TemplateCatalog).Assembly;
        var templates = new List<NotificationTemplate>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = Path.GetFileNameWithoutExtension(resource[ResourcePrefix.Length..]);
            var hyphen = name.IndexOf('-', StringComparison.Ordinal);
            var field = hyphen < 0 ? name : name[..hyphen];
            var variant = hyphen < 0 ? NotificationTemplate.DefaultVariant : name[(hyphen + 1)..];
            templates.Add(new NotificationTemplate(field, variant, Read(assembly, resource)));
        }

        return [.. templates.OrderBy(t => t.Field, StringComparer.Ordinal).ThenBy(t => t.Variant == NotificationTemplate.DefaultVariant ? "" : t.Variant, StringComparer.Ordinal)];
    }

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded template {resource} is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
