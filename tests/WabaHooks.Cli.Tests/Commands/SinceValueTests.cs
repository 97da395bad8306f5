using WabaHooks.Cli.Commands;

namespace WabaHooks.Cli.Tests.Commands;

public sealed class SinceValueTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("15m", "2026-11-25T11:45:00Z")]
    [InlineData("2h", "2026-11-25T10:00:00Z")]
    [InlineData("3d", "2026-11-22T12:00:00Z")]
    [InlineData("90s", "2026-11-25T11:58:30Z")]
    [InlineData("2026-11-25T10:00:00Z", "2026-11-25T10:00:00Z")]
    [InlineData("2026-11-25T10:00:00.250Z", "2026-11-25T10:00:00.250Z")]
    [InlineData("2026-11-25T11:00:00+01:00", "2026-11-25T10:00:00Z")]
    [InlineData("2026-11-25T10:00:00", "2026-11-25T10:00:00Z")]
    [InlineData("2026-11-25", "2026-11-25T00:00:00Z")]
    public void Accepts_iso_8601_times_and_durations_back_from_now(string text, string expected)
    {
        Assert.True(SinceValue.TryParse(text, Now, out var since, out _));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), since);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("15")]
    [InlineData("m")]
    [InlineData("-5m")]
    [InlineData("15x")]
    [InlineData("25/11/2026")]
    [InlineData("99999999999d")]
    public void Rejects_anything_else_with_a_message_naming_the_option(string text)
    {
        Assert.False(SinceValue.TryParse(text, Now, out _, out var error));
        Assert.StartsWith("--since:", error, StringComparison.Ordinal);
    }
}
