using WabaHooks.Graph.Tests.Support;
using WabaHooks.Testing.Graph;

namespace WabaHooks.Graph.Tests;

public sealed class GraphClientOptionsTests
{
    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var options = new GraphClientOptions();

        Assert.Equal(new Uri("https://graph.facebook.com"), options.BaseUrl);
        Assert.Equal("v24.0", options.Version);
        Assert.Null(options.AccessToken);
        Assert.Null(options.AppAccessToken);
        Assert.Equal(3, options.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(1), options.BackoffBaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MaxRetryDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RequestTimeout);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Access_token_falls_back_to_WABAHOOKS_ACCESS_TOKEN()
    {
        var options = new GraphClientOptions();

        var token = options.ResolveAccessToken(name => name == "WABAHOOKS_ACCESS_TOKEN" ? "from-environment" : null);

        Assert.Equal("from-environment", token);
        Assert.Equal("WABAHOOKS_ACCESS_TOKEN", GraphClientOptions.AccessTokenEnvironmentVariable);
    }

    [Fact]
    public void Access_token_that_is_set_wins_over_the_environment()
    {
        var options = new GraphClientOptions { AccessToken = "configured" };

        Assert.Equal("configured", options.ResolveAccessToken(_ => "from-environment"));
    }

    [Fact]
    public void Blank_access_token_and_environment_resolve_to_null()
    {
        var options = new GraphClientOptions { AccessToken = "  " };

        Assert.Null(options.ResolveAccessToken(_ => ""));
    }

    [Fact]
    public void App_access_token_falls_back_to_the_access_token()
    {
        Assert.Equal("system-user", new GraphClientOptions { AccessToken = "system-user" }.ResolveAppAccessToken());
        Assert.Equal("1|s", new GraphClientOptions { AccessToken = "system-user", AppAccessToken = "1|s" }.ResolveAppAccessToken());
    }

    [Fact]
    public void App_access_token_is_app_id_and_app_secret_joined_by_a_pipe()
    {
        Assert.Equal(GraphStub.AppAccessToken, GraphClientOptions.CreateAppAccessToken(GraphStub.AppId, GraphStub.AppSecret));
        Assert.Throws<ArgumentException>(() => GraphClientOptions.CreateAppAccessToken("1|2", "secret"));
        Assert.Throws<ArgumentException>(() => GraphClientOptions.CreateAppAccessToken("1", " "));
    }

    [Fact]
    public void ToString_says_whether_tokens_are_set_but_never_shows_them()
    {
        var options = new GraphClientOptions { AccessToken = GraphStub.AccessToken, AppAccessToken = GraphStub.AppAccessToken };

        var text = options.ToString();

        Secrets.AssertAbsent(text);
        Assert.Contains("AccessToken = (set)", text, StringComparison.Ordinal);
        Assert.Contains("v24.0", text, StringComparison.Ordinal);
        Assert.Contains("AccessToken = (not set)", new GraphClientOptions().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_reports_every_problem_at_once()
    {
        var options = new GraphClientOptions
        {
            BaseUrl = new Uri("/relative", UriKind.Relative),
            Version = "24",
            MaxRetries = -1,
            BackoffBaseDelay = TimeSpan.Zero,
            MaxRetryDelay = TimeSpan.FromSeconds(-1),
            RequestTimeout = Timeout.InfiniteTimeSpan,
        };

        var errors = options.Validate();

        Assert.Equal(6, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("BaseUrl", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Version", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("MaxRetries", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("BackoffBaseDelay", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("MaxRetryDelay", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("RequestTimeout", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0.005, 30.0)]
    [InlineData(90_000.0, 30.0)]
    [InlineData(30.0, 90_000.0)]
    public void Timeouts_and_waits_outside_what_the_resilience_pipeline_takes_are_refused(double requestTimeoutSeconds, double maxRetryDelaySeconds)
    {
        var options = new GraphClientOptions
        {
            RequestTimeout = TimeSpan.FromSeconds(requestTimeoutSeconds),
            MaxRetryDelay = TimeSpan.FromSeconds(maxRetryDelaySeconds),
        };

        Assert.Single(options.Validate());
    }

    [Fact]
    public void Client_refuses_options_that_are_not_valid_and_names_each_problem()
    {
        using var httpClient = new HttpClient();
        var options = new GraphClientOptions { Version = "latest", MaxRetries = -2 };

        var exception = Assert.Throws<ArgumentException>(() => new GraphClient(httpClient, options));

        Assert.Contains("Version", exception.Message, StringComparison.Ordinal);
        Assert.Contains("MaxRetries", exception.Message, StringComparison.Ordinal);
    }
}
