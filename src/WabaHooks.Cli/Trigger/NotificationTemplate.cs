namespace WabaHooks.Cli.Trigger;

/// <summary>
/// One example notification: a complete <c>whatsapp_business_account</c> envelope for a field and variant, as the
/// exact bytes of its file in shared/payloads.
/// </summary>
/// <param name="Field">Meta's field, such as <c>messages</c> or <c>account_update</c>.</param>
/// <param name="Variant">The file name after the field, such as <c>status-read</c>; <see cref="DefaultVariant"/> for the plain file.</param>
/// <param name="Bytes">The template's bytes.</param>
internal sealed record NotificationTemplate(string Field, string Variant, byte[] Bytes)
{
    /// <summary>The variant name of a field's plain example (FIELD.json, with no suffix).</summary>
    public const string DefaultVariant = "default";

    public string Name => Field + "/" + Variant;
}
