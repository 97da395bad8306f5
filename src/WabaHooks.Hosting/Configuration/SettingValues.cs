using System.Globalization;

namespace WabaHooks.Hosting.Configuration;

/// <summary>Reads one configuration string as a setting's type, saying in words what was expected when it cannot.</summary>
internal static class SettingValues
{
    public static bool CanRead(Type type) =>
        type == typeof(string) || type == typeof(bool) || type == typeof(int) || type == typeof(long) || type == typeof(double)
        || type == typeof(TimeSpan) || type == typeof(Uri) || type.IsEnum;

    /// <summary>The value, or <see langword="null"/> with <paramref name="expected"/> saying what would have been read.</summary>
    public static object? Read(Type type, string text, out string? expected)
    {
        expected = null;
        var value = text.Trim();
        if (type == typeof(string))
        {
            return text;
        }

        if (type == typeof(bool))
        {
            return bool.TryParse(value, out var flag) ? flag : Fail("true or false", out expected);
        }

        if (type == typeof(int))
        {
            return int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : Fail("a whole number", out expected);
        }

        if (type == typeof(long))
        {
            return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : Fail("a whole number", out expected);
        }

        if (type == typeof(double))
        {
            return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) ? number : Fail("a number", out expected);
        }

        if (type == typeof(TimeSpan))
        {
            return ReadDuration(value) is { } duration ? duration : Fail("a number of seconds (30, 0.25) or a duration as d.hh:mm:ss (00:05:00)", out expected);
        }

        if (type == typeof(Uri))
        {
            return Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                ? uri
                : Fail("an absolute http or https URL", out expected);
        }

        if (type.IsEnum)
        {
            // Names only: a number would silently pick whatever member has that value.
            return !value.Any(char.IsAsciiDigit) && Enum.TryParse(type, value, ignoreCase: true, out var member) && Enum.IsDefined(type, member!)
                ? member
                : Fail("one of " + string.Join(", ", EnumNames(type)), out expected);
        }

        throw new NotSupportedException($"No configuration reader for {type}.");
    }

    /// <summary>The enum's member names as configuration writes them: lower case.</summary>
    public static IEnumerable<string> EnumNames(Type type) => Enum.GetNames(type).Select(n => n.ToLowerInvariant());

    /// <summary>
    /// A plain number is seconds; anything else is read as a <see cref="TimeSpan"/> (<c>d.hh:mm:ss.fff</c>). A bare
    /// whole number is never read as days, as <see cref="TimeSpan.Parse(string)"/> would.
    /// </summary>
    private static TimeSpan? ReadDuration(string value)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return double.IsFinite(seconds) && Math.Abs(seconds) <= TimeSpan.MaxValue.TotalSeconds / 2 ? TimeSpan.FromSeconds(seconds) : null;
        }

        return value.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var duration) ? duration : null;
    }

    private static object? Fail(string what, out string? expected)
    {
        expected = what;
        return null;
    }
}
