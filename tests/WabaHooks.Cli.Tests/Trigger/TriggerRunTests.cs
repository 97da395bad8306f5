using System.Text;
using Microsoft.Extensions.Time.Testing;
using WabaHooks.Cli.Trigger;

namespace WabaHooks.Cli.Tests.Trigger;

public sealed class TriggerRunTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(TriggerRun.TemplateEpoch + 86_400);

    private static TriggerRun NewRun() => new("100000000000001", "100000000000002", new FakeTimeProvider(Now));

    private static string Render(TriggerRun run, string field, string variant) =>
        Encoding.UTF8.GetString(run.Render(TemplateCatalog.Find(field, variant)!));

    [Fact]
    public void Ids_and_timestamps_are_replaced_in_place_and_escapes_are_left_as_Meta_writes_them()
    {
        var template = Encoding.UTF8.GetString(TemplateCatalog.Find("messages", "text-unicode")!.Bytes);

        var rendered = Render(NewRun(), "messages", "text-unicode");

        Assert.Contains("\"id\": \"100000000000001\"", rendered, StringComparison.Ordinal);
        Assert.Contains("\"phone_number_id\": \"100000000000002\"", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain(TriggerRun.TemplateWabaId, rendered, StringComparison.Ordinal);
        Assert.Contains(@"\u00e9", rendered, StringComparison.Ordinal);
        Assert.Equal(template.Split('\n').Length, rendered.Split('\n').Length);
        Assert.DoesNotContain("\"timestamp\": \"17672", rendered, StringComparison.Ordinal);
        Assert.Contains("\"timestamp\": \"17673", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public void Statuses_of_one_run_refer_to_the_same_outbound_wamid_and_each_resent_message_gets_a_new_one()
    {
        var run = NewRun();
        var sent = Render(run, "messages", "status-sent-v23");
        var read = Render(run, "messages", "status-read");
        var first = Render(run, "messages", "text");
        var again = Render(run, "messages", "text");

        Assert.Equal(Wamids(sent), Wamids(read));
        Assert.NotEqual(Wamids(first), Wamids(again));
        Assert.NotEqual(Wamids(read), Wamids(Render(NewRun(), "messages", "status-read")));
    }

    private static string[] Wamids(string json) =>
        [.. System.Text.RegularExpressions.Regex.Matches(json, @"wamid\.[A-Za-z0-9+/=]+").Select(m => m.Value).Distinct()];

    [Fact]
    public void No_event_time_of_any_template_is_later_than_now_and_the_status_story_ends_now()
    {
        var run = NewRun();
        var rendered = TemplateCatalog.All.Select(t => Encoding.UTF8.GetString(run.Render(t))).ToList();

        var times = rendered.SelectMany(r => System.Text.RegularExpressions.Regex.Matches(r, "\"(?:timestamp|time)\": \"?(\\d{10})")
            .Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assert.NotEmpty(times);
        Assert.All(times, t => Assert.True(t <= Now.ToUnixTimeSeconds(), $"{t} is after now ({Now.ToUnixTimeSeconds()})"));
        Assert.Contains(Now.ToUnixTimeSeconds(), times);
    }

    [Fact]
    public void The_story_end_is_the_latest_status_time_of_the_templates()
    {
        var latest = TemplateCatalog.ForField("messages").Where(t => t.Variant.StartsWith("status-", StringComparison.Ordinal))
            .SelectMany(t => System.Text.RegularExpressions.Regex.Matches(Encoding.UTF8.GetString(t.Bytes), "\"timestamp\": \"(\\d{10})\"")
                .Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .Max();

        Assert.Equal(TriggerRun.TemplateStoryEnd, latest);
    }
}
