using System.Net;
using WabaHooks.Graph.Tests.Support;
using WabaHooks.Testing.Graph;

namespace WabaHooks.Graph.Tests;

public sealed class GraphErrorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_graph_error_object_becomes_an_exception_with_every_field()
    {
        await using var graph = await StubbedGraph.StartAsync();
        graph.Stub.Enqueue(new ScriptedReply(400, """
            {"error":{"message":"(#100) Invalid parameter","type":"OAuthException","code":100,"error_subcode":2494010,
             "is_transient":false,"error_user_title":"Callback URL invalid","error_user_msg":"The callback URL could not be verified.",
             "fbtrace_id":"A7nB2cD3eF4gH5iJ6kL"}}
            """));

        var exception = await Assert.ThrowsAsync<GraphApiException>(() => graph.Client.SetWabaOverrideAsync(GraphStub.WabaId, "https://a.example/w", "v", Ct));

        Assert.Equal(HttpStatusCode.BadRequest, exception.StatusCode);
        Assert.Equal("(#100) Invalid parameter", exception.Message);
        Assert.Equal(100, exception.Code);
        Assert.Equal(2494010, exception.ErrorSubcode);
        Assert.Equal("OAuthException", exception.ErrorType);
        Assert.Equal("A7nB2cD3eF4gH5iJ6kL", exception.FbtraceId);
        Assert.False(exception.IsTransient);
        Assert.Equal("Callback URL invalid", exception.ErrorUserTitle);
        Assert.Equal("The callback URL could not be verified.", exception.ErrorUserMsg);
        Assert.Equal(1, exception.Attempts);
        Assert.Contains("fbtrace_id A7nB2cD3eF4gH5iJ6kL", exception.ToString(), StringComparison.Ordinal);
        Secrets.AssertAbsent(exception);
    }

    [Fact]
    public async Task An_expired_token_is_code_190_with_its_fbtrace_id_and_is_not_retried()
    {
        await using var graph = await StubbedGraph.StartAsync(o => o.AccessToken = "EAAGexpiredTokenThatTheStubRejects");

        var exception = await Assert.ThrowsAsync<GraphApiException>(() => graph.Client.GetWabaSubscriptionsAsync(GraphStub.WabaId, Ct));

        Assert.Equal(HttpStatusCode.BadRequest, exception.StatusCode);
        Assert.Equal(190, exception.Code);
        Assert.Equal(463, exception.ErrorSubcode);
        Assert.Equal(GraphStub.ExpiredTokenFbtraceId, exception.FbtraceId);
        Assert.StartsWith("Error validating access token", exception.Message, StringComparison.Ordinal);
        Assert.Single(graph.Requests);
        Assert.DoesNotContain("EAAGexpiredTokenThatTheStubRejects", exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_that_Meta_echoes_in_its_message_is_redacted()
    {
        await using var graph = await StubbedGraph.StartAsync();
        graph.Stub.Enqueue(ScriptedReply.Error(400, 190, $"Malformed access token {GraphStub.AccessToken}"));
        graph.Stub.Enqueue(ScriptedReply.Error(400, 190, $"Invalid OAuth access token {GraphStub.AppAccessToken} ({Uri.EscapeDataString(GraphStub.AppAccessToken)})"));

        var waba = await Assert.ThrowsAsync<GraphApiException>(() => graph.Client.SubscribeWabaAsync(GraphStub.WabaId, Ct));
        var app = await Assert.ThrowsAsync<GraphApiException>(() => graph.Client.GetAppSubscriptionsAsync(GraphStub.AppId, Ct));

        Assert.Equal("Malformed access token [redacted]", waba.Message);
        Secrets.AssertAbsent(waba);
        Secrets.AssertAbsent(app);
    }

    private const string VerifyToken = "my+verify/token \"é\" 42";

    public static TheoryData<string, string> VerifyTokenEchoes() => new()
    {
        { "as sent", $"Verification failed for verify_token {VerifyToken}" },
        { "URL-encoded", $"Bad request: verify_token={Uri.EscapeDataString(VerifyToken)}" },
        { "form-encoded", $"Bad request: verify_token={System.Net.WebUtility.UrlEncode(VerifyToken)}" },
    };

    [Theory]
    [MemberData(nameof(VerifyTokenEchoes))]
    public async Task A_verify_token_that_Meta_echoes_is_redacted_on_every_call_that_sends_one(string _, string message)
    {
        await using var graph = await StubbedGraph.StartAsync(o => o.MaxRetries = 0);
        graph.Stub.Enqueue(ScriptedReply.Error(400, 100, message));
        graph.Stub.Enqueue(ScriptedReply.Error(400, 100, message));
        graph.Stub.Enqueue(ScriptedReply.Error(400, 100, message));

        var app = await Assert.ThrowsAsync<GraphApiException>(
            () => graph.Client.SubscribeAppAsync(GraphStub.AppId, "https://a.example/w", VerifyToken, ["messages"], cancellationToken: Ct));
        var waba = await Assert.ThrowsAsync<GraphApiException>(() => graph.Client.SetWabaOverrideAsync(GraphStub.WabaId, "https://a.example/w", VerifyToken, Ct));
        var phone = await Assert.ThrowsAsync<GraphApiException>(() => graph.Client.SetPhoneNumberOverrideAsync(GraphStub.PhoneNumberId, "https://a.example/w", VerifyToken, Ct));

        foreach (var exception in new[] { app, waba, phone })
        {
            Assert.Contains(SecretRedactor.Mask, exception.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("verify/token", exception.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("verify%2Ftoken", exception.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("verify%2ftoken", exception.ToString(), StringComparison.Ordinal);
            Secrets.AssertAbsent(exception);
        }
    }

    [Fact]
    public async Task A_verify_token_echoed_in_a_raw_json_error_body_is_redacted_in_its_json_escaped_form()
    {
        await using var graph = await StubbedGraph.StartAsync(o => o.MaxRetries = 0);
        var echoed = System.Text.Json.JsonSerializer.Serialize(new { verify_token = VerifyToken });
        graph.Stub.Enqueue(new ScriptedReply(502, $"upstream said {echoed}", "text/plain"));

        var exception = await Assert.ThrowsAsync<GraphApiException>(() => graph.Client.SetWabaOverrideAsync(GraphStub.WabaId, "https://a.example/w", VerifyToken, Ct));

        Assert.Contains(SecretRedactor.Mask, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("verify", exception.Message.Replace("verify_token", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_verify_token_of_a_few_characters_is_not_masked_in_words_that_contain_it()
    {
        await using var graph = await StubbedGraph.StartAsync(o => o.MaxRetries = 0);
        graph.Stub.Enqueue(ScriptedReply.Error(400, 100, "(#100) Invalid parameter"));

        var exception = await Assert.ThrowsAsync<GraphApiException>(() => graph.Client.SetWabaOverrideAsync(GraphStub.WabaId, "https://a.example/w", "v", Ct));

        Assert.Equal("(#100) Invalid parameter", exception.Message);
    }

    [Fact]
    public async Task A_non_json_error_body_still_gives_a_clear_exception_without_secrets()
    {
        await using var graph = await StubbedGraph.StartAsync(o => o.MaxRetries = 0);
        graph.Stub.Enqueue(new ScriptedReply(502, $"<html><body><h1>502 Bad Gateway</h1> upstream echoed {GraphStub.AppAccessToken}</body></html>", "text/html"));

        var exception = await Assert.ThrowsAsync<GraphApiException>(
            () => graph.Client.SubscribeAppAsync(GraphStub.AppId, "https://a.example/w", "v", ["messages"], cancellationToken: Ct));

        Assert.Equal(HttpStatusCode.BadGateway, exception.StatusCode);
        Assert.Null(exception.Code);
        Assert.Contains("POST /v24.0/1234567890/subscriptions", exception.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 502", exception.Message, StringComparison.Ordinal);
        Assert.Contains("text/html", exception.Message, StringComparison.Ordinal);
        Assert.Contains("502 Bad Gateway", exception.Message, StringComparison.Ordinal);
        Secrets.AssertAbsent(exception);
    }

    [Fact]
    public async Task An_empty_error_body_says_so()
    {
        await using var graph = await StubbedGraph.StartAsync();
        graph.Stub.Enqueue(new ScriptedReply(404, "", "text/plain"));

        var exception = await Assert.ThrowsAsync<GraphApiException>(() => graph.Client.UnsubscribeWabaAsync(GraphStub.WabaId, Ct));

        Assert.Equal(HttpStatusCode.NotFound, exception.StatusCode);
        Assert.Contains("empty body", exception.Message, StringComparison.Ordinal);
        Assert.Single(graph.Requests);
    }

    [Theory]
    [InlineData("""{"success":true}""")]
    [InlineData("""{"success":"true"}""")]
    [InlineData("""{"success":"True","data":[]}""")]
    public async Task Success_is_read_tolerantly(string body)
    {
        await using var graph = await StubbedGraph.StartAsync();
        graph.Stub.Enqueue(ScriptedReply.Success(body));

        await graph.Client.SubscribeWabaAsync(GraphStub.WabaId, Ct);
    }

    [Theory]
    [InlineData("""{"success":false}""")]
    [InlineData("""{}""")]
    public async Task An_answer_without_success_true_is_an_error(string body)
    {
        await using var graph = await StubbedGraph.StartAsync();
        graph.Stub.Enqueue(ScriptedReply.Success(body));

        var exception = await Assert.ThrowsAsync<GraphApiException>(() => graph.Client.UnsubscribeWabaAsync(GraphStub.WabaId, Ct));

        Assert.Equal(HttpStatusCode.OK, exception.StatusCode);
        Assert.Contains("success", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_success_status_with_a_body_that_is_not_json_is_an_error()
    {
        await using var graph = await StubbedGraph.StartAsync();
        graph.Stub.Enqueue(new ScriptedReply(200, "<html>captive portal</html>", "text/html"));

        var exception = await Assert.ThrowsAsync<GraphApiException>(() => graph.Client.GetWabaSubscriptionsAsync(GraphStub.WabaId, Ct));

        Assert.Equal(HttpStatusCode.OK, exception.StatusCode);
        Assert.Contains("could not be read", exception.Message, StringComparison.Ordinal);
        Assert.Contains("captive portal", exception.Message, StringComparison.Ordinal);
    }
}
