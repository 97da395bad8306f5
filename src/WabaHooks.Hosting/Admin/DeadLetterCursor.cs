using System.Buffers.Text;
using System.Globalization;
using System.Text;
using WabaHooks.Storage;

namespace WabaHooks.Hosting.Admin;

/// <summary>
/// A dead-letter page's cursor: its last row's <see cref="DeadLetterPosition"/>, base64url so a sink name with any
/// character survives a query string unescaped. Clients give it back and never read it.
/// </summary>
internal static class DeadLetterCursor
{
    public static string Format(DeadLetterPosition position) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{position.DeadAt.ToUnixTimeMilliseconds()}:{position.EventSequence}:{position.Sink}")));

    /// <exception cref="FormatException">It is not one <see cref="Format"/> made.</exception>
    public static DeadLetterPosition? Parse(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            throw Invalid(cursor);
        }

        var parts = text.Split(':', 3);
        return parts.Length == 3
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var deadAt)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            && parts[2].Length > 0
            && deadAt <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            ? new DeadLetterPosition(DateTimeOffset.FromUnixTimeMilliseconds(deadAt), sequence, parts[2])
            : throw Invalid(cursor);
    }

    private static FormatException Invalid(string cursor) =>
        new($"'{cursor}' is not a cursor; give back the 'next' of the previous page.");
}
