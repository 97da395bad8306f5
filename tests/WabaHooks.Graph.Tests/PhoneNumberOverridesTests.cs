using WabaHooks.Graph.Tests.Support;
using WabaHooks.Testing.Graph;

namespace WabaHooks.Graph.Tests;

public sealed class PhoneNumberOverridesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SetPhoneNumberOverride_posts_webhook_configuration_as_json_with_a_bearer_token()
    {
        await using var graph = await StubbedGraph.StartAsync();

        await graph.Client.SetPhoneNumberOverrideAsync(GraphStub.PhoneNumberId, "https://number.example.com/webhooks", "phone-verify", Ct);

        var request = Assert.Single(graph.Requests);
        Assert.Equal(("POST", "/v24.0/118765432100002"), (request.Method, request.Path));
        Assert.Equal("Bearer " + GraphStub.AccessToken, request.Authorization);
        Assert.Empty(request.Query);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        Assert.Equal(
            """{"webhook_configuration":{"override_callback_uri":"https://number.example.com/webhooks","verify_token":"phone-verify"}}""",
            request.Body);
    }

    [Fact]
    public async Task RemovePhoneNumberOverride_posts_an_empty_override_callback_uri()
    {
        await using var graph = await StubbedGraph.StartAsync();
        await graph.Client.SetPhoneNumberOverrideAsync(GraphStub.PhoneNumberId, "https://number.example.com/webhooks", "phone-verify", Ct);

        await graph.Client.RemovePhoneNumberOverrideAsync(GraphStub.PhoneNumberId, Ct);

        var request = graph.Requests[^1];
        Assert.Equal(("POST", "/v24.0/118765432100002"), (request.Method, request.Path));
        Assert.Equal("""{"webhook_configuration":{"override_callback_uri":""}}""", request.Body);
        var configuration = await graph.Client.GetPhoneNumberWebhookConfigurationAsync(GraphStub.PhoneNumberId, Ct);
        Assert.Null(configuration.WebhookConfiguration!.PhoneNumber);
    }

    [Fact]
    public async Task GetPhoneNumberWebhookConfiguration_asks_for_the_field_and_reads_every_level()
    {
        await using var graph = await StubbedGraph.StartAsync();
        await graph.Client.SubscribeAppAsync(GraphStub.AppId, "https://app.example.com/webhooks", "t", ["messages"], cancellationToken: Ct);
        await graph.Client.SetWabaOverrideAsync(GraphStub.WabaId, "https://waba.example.com/webhooks", "w", Ct);
        await graph.Client.SetPhoneNumberOverrideAsync(GraphStub.PhoneNumberId, "https://number.example.com/webhooks", "p", Ct);

        var configuration = await graph.Client.GetPhoneNumberWebhookConfigurationAsync(GraphStub.PhoneNumberId, Ct);

        var request = graph.Requests[^1];
        Assert.Equal(("GET", "/v24.0/118765432100002"), (request.Method, request.Path));
        Assert.Equal(new Dictionary<string, string> { ["fields"] = "webhook_configuration" }, request.Query);
        Assert.Equal("Bearer " + GraphStub.AccessToken, request.Authorization);
        Assert.Equal(GraphStub.PhoneNumberId, configuration.Id);
        Assert.Equal("https://number.example.com/webhooks", configuration.WebhookConfiguration!.PhoneNumber);
        Assert.Equal("https://waba.example.com/webhooks", configuration.WebhookConfiguration.WhatsAppBusinessAccount);
        Assert.Equal("https://app.example.com/webhooks", configuration.WebhookConfiguration.Application);
    }

    [Fact]
    public async Task Whatsapp_business_account_is_absent_when_the_waba_has_no_override()
    {
        await using var graph = await StubbedGraph.StartAsync();
        await graph.Client.SubscribeAppAsync(GraphStub.AppId, "https://app.example.com/webhooks", "t", ["messages"], cancellationToken: Ct);

        var configuration = await graph.Client.GetPhoneNumberWebhookConfigurationAsync(GraphStub.PhoneNumberId, Ct);

        Assert.Null(configuration.WebhookConfiguration!.WhatsAppBusinessAccount);
        Assert.Null(configuration.WebhookConfiguration.PhoneNumber);
        Assert.Equal("https://app.example.com/webhooks", configuration.WebhookConfiguration.Application);
    }

    [Fact]
    public async Task A_phone_number_override_over_200_characters_is_refused_before_sending()
    {
        await using var graph = await StubbedGraph.StartAsync();
        var uri = "https://number.example.com/" + new string('x', 200);

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => graph.Client.SetPhoneNumberOverrideAsync(GraphStub.PhoneNumberId, uri, "p", Ct));

        Assert.Equal("overrideCallbackUri", exception.ParamName);
        Assert.Empty(graph.Requests);
    }
}
