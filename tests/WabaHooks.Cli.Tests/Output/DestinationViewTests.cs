using WabaHooks.Hosting.Destinations;
using WabaHooks.Cli.Output;
using WabaHooks.Storage;

namespace WabaHooks.Cli.Tests.Output;

public sealed class DestinationViewTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("https://operator:pw-7731@hooks.example.com/whatsapp?token=tok-9912", "https://hooks.example.com/whatsapp")]
    [InlineData("http://operator@127.0.0.1:8080/hook#section", "http://127.0.0.1:8080/hook")]
    [InlineData("https://hooks.example.com:443/a/b", "https://hooks.example.com/a/b")]
    [InlineData("https://hooks.example.com:8443/a/b/", "https://hooks.example.com:8443/a/b/")]
    [InlineData("https://hooks.example.com/team@crm/hook", "https://hooks.example.com/team@crm/hook")]
    [InlineData("https://hooks.example.com/p%40ss/hook?x=1", "https://hooks.example.com/p%40ss/hook")]
    public void SafeUrl_leaves_out_user_info_query_and_fragment_and_keeps_the_rest(string url, string shown)
    {
        Assert.Equal(shown, DestinationView.SafeUrl(new Uri(url)));
    }

    [Fact]
    public void Filter_names_each_list_and_says_all_events_without_one()
    {
        var none = new DestinationOptions();
        var some = new DestinationOptions();
        some.Fields.Add("messages");
        some.Types.Add("statuses.*");
        some.Types.Add("messages.text");
        some.PhoneNumberIds.Add("118765432100002");

        Assert.Equal("all events", DestinationView.Filter(none));
        Assert.Equal("fields messages; types statuses.*,messages.text; phones 118765432100002", DestinationView.Filter(some));
    }

    [Fact]
    public void Health_of_a_destination_never_sent_to_is_idle()
    {
        Assert.Equal("idle: nothing sent yet", DestinationView.Health(null, Now));
    }

    [Fact]
    public void Health_is_failing_with_the_last_error_while_the_last_failure_is_newer_than_the_last_success()
    {
        var backlog = new SinkBacklog("destination:crm", 2, 0, 5)
        {
            OldestPendingSince = Now.AddSeconds(-42),
            LastAttemptAt = Now.AddSeconds(-1),
            LastSuccessAt = Now.AddMinutes(-3),
            LastFailure = Failure(Now.AddSeconds(-1), "HTTP 500 Internal Server Error"),
        };

        Assert.Equal("failing: HTTP 500 Internal Server Error (at 2026-01-02 11:59:59); oldest pending 42s", DestinationView.Health(backlog, Now));
    }

    [Fact]
    public void Health_is_ok_once_a_success_came_after_the_last_failure()
    {
        var backlog = new SinkBacklog("destination:crm", 0, 1, 5)
        {
            LastAttemptAt = Now.AddSeconds(-1),
            LastSuccessAt = Now.AddSeconds(-1),
            LastFailure = Failure(Now.AddMinutes(-3), "timed out after 10 s"),
        };

        Assert.Equal("ok", DestinationView.Health(backlog, Now));
    }

    [Fact]
    public void Health_of_work_not_yet_attempted_is_waiting_with_its_age()
    {
        var backlog = new SinkBacklog("destination:crm", 3, 0, 0) { OldestPendingSince = Now.AddMinutes(-5) };

        Assert.Equal("waiting; oldest pending 5m", DestinationView.Health(backlog, Now));
    }

    private static SinkAttempt Failure(DateTimeOffset at, string error) =>
        new("msg:wamid.x", "destination:crm", 1, at, TimeSpan.FromMilliseconds(12), false, null, error, null);
}
