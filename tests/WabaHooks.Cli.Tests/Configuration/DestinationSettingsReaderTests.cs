using System.Text;
using Microsoft.Extensions.Configuration;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Cli.Configuration;

namespace WabaHooks.Cli.Tests.Configuration;

public sealed class DestinationSettingsReaderTests
{
    private const string EventSecret = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    /// <summary>The configuration a --config file holding <paramref name="json"/> gives.</summary>
    private static IConfiguration Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    /// <summary>One destination under "Destinations", its properties written as given.</summary>
    private static IConfiguration One(string properties) => Json($$"""{ "Destinations": [ { {{properties}} } ] }""");

    private static (IReadOnlyList<DestinationOptions> Destinations, List<string> Errors) Read(IConfiguration configuration)
    {
        var errors = new List<string>();
        var destinations = DestinationSettingsReader.Read(configuration, errors);
        return (destinations, errors);
    }

    [Fact]
    public void Without_a_Destinations_list_there_are_none_and_no_problem()
    {
        var (destinations, errors) = Read(Json("""{ "DataDir": "x" }"""));

        Assert.Empty(destinations);
        Assert.Empty(errors);
    }

    [Fact]
    public void The_readme_example_is_read_with_every_setting()
    {
        var (destinations, errors) = Read(Json($$"""
            {
              "Destinations": [
                { "Name": "crm", "Url": "https://crm.internal/whatsapp/webhook", "Format": "meta",
                  "Secret": "the-secret-the-crm-checks", "Fields": [ "messages" ], "Types": [ "messages.*" ] },
                { "Name": "analytics", "Url": "https://analytics.internal/hooks", "Format": "event",
                  "Secret": "{{EventSecret}}", "Types": [ "statuses.*" ],
                  "WabaIds": [ "109876543210001" ], "PhoneNumberIds": [ "118765432100002", "118765432100003" ],
                  "TimeoutSeconds": 5, "MaxConcurrency": 16,
                  "Retry": { "BaseDelay": 5, "MaxDelay": 3600, "Window": "3.00:00:00" },
                  "CircuitBreaker": { "FailureThreshold": 5, "BreakDuration": 30, "MaxBreakDuration": 600 } }
              ]
            }
            """));

        Assert.Empty(errors);
        Assert.Equal(2, destinations.Count);
        var crm = destinations[0];
        Assert.Equal("crm", crm.Name);
        Assert.Equal(new Uri("https://crm.internal/whatsapp/webhook"), crm.Url);
        Assert.Equal(DestinationFormat.Meta, crm.Format);
        Assert.Equal("the-secret-the-crm-checks", crm.Secret);
        Assert.Equal(["messages"], crm.Fields);
        Assert.Equal(["messages.*"], crm.Types);
        Assert.Equal("destination:crm", crm.SinkName);

        var analytics = destinations[1];
        Assert.Equal(DestinationFormat.Event, analytics.Format);
        Assert.Equal(EventSecret, analytics.Secret);
        Assert.Equal(["statuses.*"], analytics.Types);
        Assert.Equal(["109876543210001"], analytics.WabaIds);
        Assert.Equal(["118765432100002", "118765432100003"], analytics.PhoneNumberIds);
        Assert.Equal(TimeSpan.FromSeconds(5), analytics.Timeout);
        Assert.Equal(16, analytics.MaxConcurrency);
        Assert.Equal(TimeSpan.FromSeconds(5), analytics.Retry.BaseDelay);
        Assert.Equal(TimeSpan.FromHours(1), analytics.Retry.MaxDelay);
        Assert.Equal(TimeSpan.FromDays(3), analytics.Retry.Window);
        Assert.Equal(5, analytics.CircuitBreaker.FailureThreshold);
        Assert.Equal(TimeSpan.FromSeconds(30), analytics.CircuitBreaker.BreakDuration);
        Assert.Equal(TimeSpan.FromMinutes(10), analytics.CircuitBreaker.MaxBreakDuration);
    }

    [Fact]
    public void Left_out_settings_take_the_documented_defaults()
    {
        var (destinations, errors) = Read(One("""  "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s"  """));

        Assert.Empty(errors);
        var crm = Assert.Single(destinations);
        Assert.Equal(DestinationFormat.Meta, crm.Format);
        Assert.Empty(crm.Fields);
        Assert.Empty(crm.Types);
        Assert.Empty(crm.WabaIds);
        Assert.Empty(crm.PhoneNumberIds);
        Assert.Equal(TimeSpan.FromSeconds(10), crm.Timeout);
        Assert.Equal(8, crm.MaxConcurrency);
        Assert.Equal(TimeSpan.FromSeconds(5), crm.Retry.BaseDelay);
        Assert.Equal(TimeSpan.FromHours(1), crm.Retry.MaxDelay);
        Assert.Equal(TimeSpan.FromDays(3), crm.Retry.Window);
        Assert.Equal(5, crm.CircuitBreaker.FailureThreshold);
        Assert.Equal(TimeSpan.FromSeconds(30), crm.CircuitBreaker.BreakDuration);
        Assert.Equal(TimeSpan.FromMinutes(10), crm.CircuitBreaker.MaxBreakDuration);
    }

    [Theory]
    [InlineData("meta", DestinationFormat.Meta)]
    [InlineData("Event", DestinationFormat.Event)]
    [InlineData(" EVENT ", DestinationFormat.Event)]
    public void Format_is_read_whatever_its_case(string format, DestinationFormat expected)
    {
        var (destinations, errors) = Read(One($"""  "Name": "d", "Url": "http://127.0.0.1:9/hook", "Secret": "{EventSecret}", "Format": "{format}"  """));

        Assert.Empty(errors);
        Assert.Equal(expected, Assert.Single(destinations).Format);
    }

    [Fact]
    public void Durations_are_seconds_or_a_TimeSpan_and_a_zero_window_is_allowed()
    {
        var (destinations, errors) = Read(One("""
              "Name": "d", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "TimeoutSeconds": 2.5,
              "Retry": { "BaseDelay": "00:00:00.050", "MaxDelay": 2, "Window": 0 },
              "CircuitBreaker": { "BreakDuration": "00:00:00.500", "MaxBreakDuration": "00:01:00" }
            """));

        Assert.Empty(errors);
        var d = Assert.Single(destinations);
        Assert.Equal(TimeSpan.FromSeconds(2.5), d.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(50), d.Retry.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(2), d.Retry.MaxDelay);
        Assert.Equal(TimeSpan.Zero, d.Retry.Window);
        Assert.Equal(TimeSpan.FromMilliseconds(500), d.CircuitBreaker.BreakDuration);
        Assert.Equal(TimeSpan.FromMinutes(1), d.CircuitBreaker.MaxBreakDuration);
    }

    [Fact]
    public void Empty_retry_and_circuit_breaker_objects_keep_the_defaults()
    {
        var (destinations, errors) = Read(One(""" "Name": "d", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "Retry": {}, "CircuitBreaker": {} """));

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromDays(3), Assert.Single(destinations).Retry.Window);
    }

    [Fact]
    public void A_duration_in_fractional_seconds_means_seconds()
    {
        var (destinations, errors) = Read(One("""
              "Name": "d", "Url": "http://127.0.0.1:9/hook", "Secret": "s",
              "Retry": { "BaseDelay": 0.5, "MaxDelay": 1.5 }, "CircuitBreaker": { "BreakDuration": 0.25 }
            """));

        Assert.Empty(errors);
        var d = Assert.Single(destinations);
        Assert.Equal(TimeSpan.FromMilliseconds(500), d.Retry.BaseDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), d.Retry.MaxDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(250), d.CircuitBreaker.BreakDuration);
    }

    [Fact]
    public void The_environment_variable_form_is_read_with_comma_separated_lists()
    {
        // What WABAHOOKS__DESTINATIONS__0__NAME=… and friends become once the prefix is taken off.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DESTINATIONS:0:NAME"] = "analytics",
            ["DESTINATIONS:0:URL"] = "https://analytics.internal/hooks",
            ["DESTINATIONS:0:FORMAT"] = "event",
            ["DESTINATIONS:0:SECRET"] = EventSecret,
            ["DESTINATIONS:0:TYPES"] = "statuses.*, messages.text",
            ["DESTINATIONS:0:RETRY:WINDOW"] = "3600",
            ["DESTINATIONS:1:NAME"] = "crm",
            ["DESTINATIONS:1:URL"] = "https://crm.internal/hook",
            ["DESTINATIONS:1:SECRET"] = "crm-secret",
            ["DESTINATIONS:1:FIELDS:0"] = "messages",
        }).Build();

        var (destinations, errors) = Read(configuration);

        Assert.Empty(errors);
        Assert.Equal(["analytics", "crm"], destinations.Select(d => d.Name));
        Assert.Equal(DestinationFormat.Event, destinations[0].Format);
        Assert.Equal(["statuses.*", "messages.text"], destinations[0].Types);
        Assert.Equal(TimeSpan.FromHours(1), destinations[0].Retry.Window);
        Assert.Equal(["messages"], destinations[1].Fields);
    }

    public static TheoryData<string, string> SingleProblems() => new()
    {
        { """ "Url": "http://127.0.0.1:9/hook", "Secret": "s" """, "A destination has no Name: give each destination a stable name" },
        { """ "Name": "crm hooks", "Url": "http://127.0.0.1:9/hook", "Secret": "s" """, "Destination 'crm hooks': the name may hold only letters, digits, '-', '_' and '.'" },
        { """ "Name": "crm", "Secret": "s" """, "Destination 'crm' has no Url: set the absolute http(s) URL events are POSTed to" },
        { """ "Name": "crm", "Url": "crm.internal/whatsapp", "Secret": "s" """, "Destinations 'crm': Url 'crm.internal/whatsapp' is not an absolute http or https URL, e.g. https://crm.example.com/whatsapp" },
        { """ "Name": "crm", "Url": "/whatsapp", "Secret": "s" """, "Destinations 'crm': Url '/whatsapp' is not an absolute http or https URL" },
        { """ "Name": "crm", "Url": "ftp://crm.internal/hook", "Secret": "s" """, "Destinations 'crm': Url 'ftp://crm.internal/hook' is not an absolute http or https URL" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook" """, "Destination 'crm' has no Secret: set the secret the destination checks X-Hub-Signature-256 with" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Format": "event" """, "Destination 'crm' has no Secret: set a Standard Webhooks secret ('whsec_' + base64 of 24 to 64 random bytes), for example whsec_" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "Format": "json" """, "Format 'json' is unknown; use 'meta' (Meta's envelope, X-Hub-Signature-256) or 'event'" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "my-plain-secret", "Format": "event" """, "Destination 'crm': A Standard Webhooks secret is whsec_ followed by the base64 of 24 to 64 random bytes" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "whsec_c2hvcnQ=", "Format": "event" """, "Destination 'crm': A Standard Webhooks secret is whsec_ followed by the base64 of 24 to 64 random bytes" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "Type": [ "statuses.*" ] """, "Destinations 'crm': unknown key 'Type'. Known keys: Name, Url, Format, Secret, Fields, Types" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "Retry": { "Windows": 60 } """, "Destinations 'crm' Retry: unknown key 'Windows'. Known keys: BaseDelay, MaxDelay, Window" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "CircuitBreaker": { "Threshold": 3 } """, "CircuitBreaker: unknown key 'Threshold'. Known keys: FailureThreshold, BreakDuration, MaxBreakDuration" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "TimeoutSeconds": "ten" """, "TimeoutSeconds 'ten' must be a number of seconds" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "TimeoutSeconds": 0 """, "TimeoutSeconds '0' must be a number of seconds" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "TimeoutSeconds": 301 """, "TimeoutSeconds '301' must be a number of seconds" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "MaxConcurrency": 0 """, "MaxConcurrency '0' must be a whole number from 1 to 1024" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "Retry": { "BaseDelay": "soon" } """, "Retry.BaseDelay 'soon' is neither seconds (e.g. 900 or 0.5) nor a TimeSpan" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "Retry": { "BaseDelay": 10, "MaxDelay": 5 } """, "Destination 'crm': the retry base delay must be positive and no larger than the maximum delay" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "Retry": { "Window": -1 } """, "Destination 'crm': the retry window must not be negative" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "CircuitBreaker": { "FailureThreshold": 0 } """, "CircuitBreaker.FailureThreshold '0' must be a whole number of at least 1" },
    };

    [Theory]
    [MemberData(nameof(SingleProblems))]
    public void A_bad_destination_setting_is_one_problem_that_says_what_to_fix(string properties, string message)
    {
        var (_, errors) = Read(One(properties));

        var problem = Assert.Single(errors);
        Assert.Contains(message, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_is_never_repeated_in_a_problem()
    {
        var (_, errors) = Read(One(""" "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "whsec_not*base64*secret-4471", "Format": "event", "TimeoutSeconds": -3 """));

        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.DoesNotContain("secret-4471", e, StringComparison.Ordinal));
    }

    [Fact]
    public void Two_destinations_with_one_name_are_a_problem_naming_it()
    {
        var (destinations, errors) = Read(Json("""
            { "Destinations": [
                { "Name": "crm", "Url": "http://127.0.0.1:9/a", "Secret": "s" },
                { "Name": "other", "Url": "http://127.0.0.1:9/b", "Secret": "s" },
                { "Name": "crm", "Url": "http://127.0.0.1:9/c", "Secret": "s" } ] }
            """));

        Assert.Equal(3, destinations.Count);
        var problem = Assert.Single(errors);
        Assert.Contains("the name 'crm' is used twice", problem, StringComparison.Ordinal);
        Assert.Contains("Each destination needs its own name", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_of_every_destination_is_reported_at_once()
    {
        var (_, errors) = Read(Json($$"""
            { "Destinations": [
                { "Url": "http://127.0.0.1:9/a", "Secret": "s" },
                { "Name": "crm", "Url": "http://127.0.0.1:9/b", "Format": "xml", "Secret": "s", "Typs": [ "messages.*" ], "TimeoutSeconds": 900 },
                { "Name": "analytics", "Format": "event", "Secret": "plain" },
                { "Name": "analytics", "Url": "http://127.0.0.1:9/d", "Format": "event", "Secret": "{{EventSecret}}" } ] }
            """));

        Assert.Equal(7, errors.Count);
        foreach (var expected in new[]
        {
            "A destination has no Name",
            "Destinations 'crm': unknown key 'Typs'",
            "Destinations 'crm': Format 'xml' is unknown",
            "Destinations 'crm': TimeoutSeconds '900'",
            "Destination 'analytics' has no Url",
            "Destination 'analytics': A Standard Webhooks secret is whsec_",
            "Destinations: the name 'analytics' is used twice",
        })
        {
            Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(""" "Retry": 5 """, "Retry")]
    [InlineData(""" "CircuitBreaker": "off" """, "CircuitBreaker")]
    public void A_retry_or_circuit_breaker_setting_that_is_not_an_object_is_a_problem(string property, string key)
    {
        var (_, errors) = Read(One($""" "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", {property} """));

        var problem = Assert.Single(errors);
        Assert.Contains($"Destinations 'crm': {key} must be an object", problem, StringComparison.Ordinal);
    }
}
