using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Hosting.Destinations;

namespace WabaHooks.Hosting.Tests.Configuration;

/// <summary>The <c>Destinations</c> list of the WabaHooks section becomes named <see cref="DestinationOptions"/>, every problem reported at once.</summary>
public sealed class DestinationsBindingTests
{
    private const string EventSecret = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    private static Bound One(string properties) => Bound.Valid($$""" "Destinations": [ { {{properties}} } ] """);

    [Fact]
    public void Without_a_Destinations_list_there_are_none_and_no_problem()
    {
        using var bound = Bound.Valid();

        Assert.Empty(bound.Destinations);
        Assert.Empty(bound.Problems);
    }

    [Fact]
    public void The_readme_example_is_read_with_every_setting()
    {
        using var bound = Bound.Valid($$"""
              "Destinations": [
                { "Name": "crm", "Url": "https://crm.internal/whatsapp/webhook", "Format": "meta",
                  "Secret": "the-secret-the-crm-checks", "Fields": [ "messages" ], "Types": [ "messages.*" ] },
                { "Name": "analytics", "Url": "https://analytics.internal/hooks", "Format": "event",
                  "Secret": "{{EventSecret}}", "Types": [ "statuses.*" ],
                  "WabaIds": [ "109876543210001" ], "PhoneNumberIds": [ "118765432100002", "118765432100003" ],
                  "Timeout": 5, "MaxConcurrency": 16, "PollInterval": 0.1,
                  "Retry": { "BaseDelay": 5, "MaxDelay": 3600, "Window": "3.00:00:00" },
                  "CircuitBreaker": { "FailureThreshold": 5, "BreakDuration": 30, "MaxBreakDuration": 600 } }
              ]
            """);

        Assert.Empty(bound.Problems);
        var destinations = bound.Destinations;
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
        Assert.Equal(TimeSpan.FromMilliseconds(100), analytics.PollInterval);
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
        using var bound = One("""  "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s"  """);

        Assert.Empty(bound.Problems);
        var crm = Assert.Single(bound.Destinations);
        Assert.Equal(DestinationFormat.Meta, crm.Format);
        Assert.Empty(crm.Fields);
        Assert.Empty(crm.Types);
        Assert.Empty(crm.WabaIds);
        Assert.Empty(crm.PhoneNumberIds);
        Assert.Equal(TimeSpan.FromSeconds(10), crm.Timeout);
        Assert.Equal(8, crm.MaxConcurrency);
        Assert.Equal(TimeSpan.FromMilliseconds(250), crm.PollInterval);
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
        using var bound = One($"""  "Name": "d", "Url": "http://127.0.0.1:9/hook", "Secret": "{EventSecret}", "Format": "{format}"  """);

        Assert.Empty(bound.Problems);
        Assert.Equal(expected, Assert.Single(bound.Destinations).Format);
    }

    [Fact]
    public void Durations_are_seconds_or_a_TimeSpan_and_a_zero_window_is_allowed()
    {
        using var bound = One("""
              "Name": "d", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "Timeout": 2.5,
              "Retry": { "BaseDelay": "00:00:00.050", "MaxDelay": 2, "Window": 0 },
              "CircuitBreaker": { "BreakDuration": "00:00:00.500", "MaxBreakDuration": "00:01:00" }
            """);

        Assert.Empty(bound.Problems);
        var d = Assert.Single(bound.Destinations);
        Assert.Equal(TimeSpan.FromSeconds(2.5), d.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(50), d.Retry.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(2), d.Retry.MaxDelay);
        Assert.Equal(TimeSpan.Zero, d.Retry.Window);
        Assert.Equal(TimeSpan.FromMilliseconds(500), d.CircuitBreaker.BreakDuration);
        Assert.Equal(TimeSpan.FromMinutes(1), d.CircuitBreaker.MaxBreakDuration);
    }

    [Fact]
    public void A_bare_number_of_a_duration_is_seconds_never_days()
    {
        using var bound = One(""" "Name": "d", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "CircuitBreaker": { "BreakDuration": "30", "MaxBreakDuration": 600 } """);

        Assert.Empty(bound.Problems);
        Assert.Equal(TimeSpan.FromSeconds(30), Assert.Single(bound.Destinations).CircuitBreaker.BreakDuration);
    }

    [Fact]
    public void Empty_retry_and_circuit_breaker_objects_keep_the_defaults()
    {
        using var bound = One(""" "Name": "d", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "Retry": {}, "CircuitBreaker": {} """);

        Assert.Empty(bound.Problems);
        Assert.Equal(TimeSpan.FromDays(3), Assert.Single(bound.Destinations).Retry.Window);
    }

    [Fact]
    public void The_environment_variable_form_is_read_with_comma_separated_lists()
    {
        // What WabaHooks__Destinations__0__Name=… and friends become, in any case.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WABAHOOKS:VERIFYTOKEN"] = "token",
            ["WABAHOOKS:APPSECRETS"] = "app:secret",
            ["WABAHOOKS:DESTINATIONS:0:NAME"] = "analytics",
            ["WABAHOOKS:DESTINATIONS:0:URL"] = "https://analytics.internal/hooks",
            ["WABAHOOKS:DESTINATIONS:0:FORMAT"] = "event",
            ["WABAHOOKS:DESTINATIONS:0:SECRET"] = EventSecret,
            ["WABAHOOKS:DESTINATIONS:0:TYPES"] = "statuses.*, messages.text",
            ["WABAHOOKS:DESTINATIONS:0:RETRY:WINDOW"] = "3600",
            ["WABAHOOKS:DESTINATIONS:1:NAME"] = "crm",
            ["WABAHOOKS:DESTINATIONS:1:URL"] = "https://crm.internal/hook",
            ["WABAHOOKS:DESTINATIONS:1:SECRET"] = "crm-secret",
            ["WABAHOOKS:DESTINATIONS:1:FIELDS:0"] = "messages",
        }).Build();

        using var bound = Bound.From(configuration);

        Assert.Empty(bound.Problems);
        var destinations = bound.Destinations;
        Assert.Equal(["analytics", "crm"], destinations.Select(d => d.Name));
        Assert.Equal(DestinationFormat.Event, destinations[0].Format);
        Assert.Equal(["statuses.*", "messages.text"], destinations[0].Types);
        Assert.Equal(TimeSpan.FromHours(1), destinations[0].Retry.Window);
        Assert.Equal(["messages"], destinations[1].Fields);
    }

    public static TheoryData<string, string> SingleProblems() => new()
    {
        { """ "Url": "http://127.0.0.1:9/hook", "Secret": "s" """, "WabaHooks:Destinations:0 has no Name: give each destination a stable name" },
        { """ "Name": "crm hooks", "Url": "http://127.0.0.1:9/hook", "Secret": "s" """, "Destination 'crm hooks': the name may hold only letters, digits, '-', '_' and '.'" },
        { """ "Name": "crm", "Secret": "s" """, "Destination 'crm' has no Url: set the absolute http(s) URL events are POSTed to" },
        { """ "Name": "crm", "Url": "crm.internal/whatsapp", "Secret": "s" """, "WabaHooks:Destinations:0:Url is 'crm.internal/whatsapp': expected an absolute http or https URL" },
        { """ "Name": "crm", "Url": "/whatsapp", "Secret": "s" """, "WabaHooks:Destinations:0:Url is '/whatsapp': expected an absolute http or https URL" },
        { """ "Name": "crm", "Url": "ftp://crm.internal/hook", "Secret": "s" """, "WabaHooks:Destinations:0:Url is 'ftp://crm.internal/hook': expected an absolute http or https URL" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook" """, "Destination 'crm' has no Secret: set the secret the destination checks X-Hub-Signature-256 with" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Format": "event" """, "Destination 'crm' has no Secret: set a Standard Webhooks secret ('whsec_' + base64 of 24 to 64 random bytes), for example whsec_" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "Format": "json" """, "WabaHooks:Destinations:0:Format is 'json': expected one of meta, event" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "Format": "1" """, "WabaHooks:Destinations:0:Format is '1': expected one of meta, event" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "my-plain-secret", "Format": "event" """, "Destination 'crm': A Standard Webhooks secret is whsec_ followed by the base64 of 24 to 64 random bytes" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "Type": [ "statuses.*" ] """, "WabaHooks:Destinations:0:Type is not a setting. Did you mean Types?" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "Retry": { "Windows": 60 } """, "WabaHooks:Destinations:0:Retry:Windows is not a setting. Did you mean Window?" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "CircuitBreaker": { "Threshold": 3 } """, "WabaHooks:Destinations:0:CircuitBreaker:Threshold is not a setting." },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "Timeout": "ten" """, "WabaHooks:Destinations:0:Timeout is 'ten': expected a number of seconds" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "Timeout": 0 """, "Destination 'crm': the timeout must be between 1 and 300 seconds" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "Timeout": 301 """, "Destination 'crm': the timeout must be between 1 and 300 seconds" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "MaxConcurrency": 0 """, "Destination 'crm': MaxConcurrency must be between 1 and 1024" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "MaxConcurrency": 1.5 """, "WabaHooks:Destinations:0:MaxConcurrency is '1.5': expected a whole number" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "Retry": { "BaseDelay": "soon" } """, "WabaHooks:Destinations:0:Retry:BaseDelay is 'soon': expected a number of seconds" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "Retry": { "BaseDelay": 10, "MaxDelay": 5 } """, "Destination 'crm': the retry base delay must be positive and no larger than the maximum delay" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "Retry": { "Window": -1 } """, "Destination 'crm': the retry window must not be negative" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "CircuitBreaker": { "FailureThreshold": 0 } """, "Destination 'crm': the circuit breaker needs a failure threshold of at least 1" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "Retry": 5 """, "WabaHooks:Destinations:0:Retry holds settings, not a single value" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "CircuitBreaker": "off" """, "WabaHooks:Destinations:0:CircuitBreaker holds settings, not a single value" },
        { """ "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s", "WaitForMedia": true """, "Destination 'crm': WaitForMedia waits for media kept on arrival, and none is kept: configure the Media section" },
    };

    [Theory]
    [MemberData(nameof(SingleProblems))]
    public void A_bad_destination_setting_is_one_problem_that_says_what_to_fix(string properties, string message)
    {
        using var bound = One(properties);

        var problem = Assert.Single(bound.Problems);
        Assert.Contains(message, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_is_never_repeated_in_a_problem()
    {
        using var bound = One(""" "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "whsec_not*base64*secret-4471", "Format": "event", "Timeout": -3 """);

        Assert.Equal(2, bound.Problems.Count);
        Assert.All(bound.Problems, e => Assert.DoesNotContain("secret-4471", e, StringComparison.Ordinal));
    }

    [Fact]
    public void Two_destinations_with_one_name_are_a_problem_naming_it()
    {
        using var bound = Bound.Valid("""
             "Destinations": [
                { "Name": "crm", "Url": "http://127.0.0.1:9/a", "Secret": "s" },
                { "Name": "other", "Url": "http://127.0.0.1:9/b", "Secret": "s" },
                { "Name": "crm", "Url": "http://127.0.0.1:9/c", "Secret": "s" } ]
            """);

        Assert.Equal(["crm", "other"], bound.Destinations.Select(d => d.Name));
        var problem = Assert.Single(bound.Problems);
        Assert.Contains("WabaHooks:Destinations:2: the name 'crm' is used twice", problem, StringComparison.Ordinal);
        Assert.Contains("Each destination needs its own name", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_of_every_destination_is_reported_at_once()
    {
        using var bound = Bound.From($$"""
            { "AppSecrets": [ "app:secret" ], "Destinations": [
                { "Url": "http://127.0.0.1:9/a", "Secret": "s" },
                { "Name": "crm", "Url": "http://127.0.0.1:9/b", "Format": "xml", "Secret": "s", "Typs": [ "messages.*" ], "Timeout": 900 },
                { "Name": "analytics", "Format": "event", "Secret": "plain" },
                { "Name": "analytics", "Url": "http://127.0.0.1:9/d", "Format": "event", "Secret": "{{EventSecret}}" } ] }
            """);

        foreach (var expected in new[]
        {
            "VerifyToken is empty",
            "WabaHooks:Destinations:0 has no Name",
            "WabaHooks:Destinations:1:Typs is not a setting. Did you mean Types?",
            "WabaHooks:Destinations:1:Format is 'xml'",
            "Destination 'crm': the timeout must be between 1 and 300 seconds",
            "Destination 'analytics' has no Url",
            "Destination 'analytics': A Standard Webhooks secret is whsec_",
            "WabaHooks:Destinations:3: the name 'analytics' is used twice",
        })
        {
            Assert.Contains(bound.Problems, e => e.Contains(expected, StringComparison.Ordinal));
        }

        Assert.Equal(8, bound.Problems.Count);
    }

    [Fact]
    public void Code_can_adjust_a_configured_destination_by_its_name()
    {
        using var bound = Bound.Valid(
            """ "Destinations": [ { "Name": "crm", "Url": "http://127.0.0.1:9/hook", "Secret": "s" } ] """,
            b => b.Services.Configure<DestinationOptions>("crm", d => d.MaxConcurrency = 2));

        Assert.Empty(bound.Problems);
        Assert.Equal(2, Assert.Single(bound.Destinations).MaxConcurrency);
    }
}
