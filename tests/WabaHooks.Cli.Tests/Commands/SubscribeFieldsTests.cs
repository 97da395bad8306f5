using WabaHooks.Cli.Tests.Support;
using WabaHooks.Payloads;
using WabaHooks.Testing.Graph;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Commands;

/// <summary>The <c>--fields</c> of <c>subscribe app</c> and <c>unsubscribe app</c>: Meta's documented names, or all of them.</summary>
public sealed class SubscribeFieldsTests(ServeFixture serve) : IClassFixture<ServeFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Subscribe_app_with_all_sends_every_field_meta_documents()
    {
        await using var graph = await GraphStub.StartAsync(Ct);

        var result = await SubscribeAsync(graph, "all");

        Assert.True(result.ExitCode == 0, result.AllOutput());
        var request = Assert.Single(graph.Requests);
        Assert.Equal(string.Join(",", WhatsAppFields.Documented), request.Form["fields"]);
        Assert.Contains("calls", WhatsAppFields.Documented);
        Assert.Contains("group_participants_update", WhatsAppFields.Documented);
    }

    [Fact]
    public async Task Subscribe_app_takes_the_newer_fields_by_name()
    {
        await using var graph = await GraphStub.StartAsync(Ct);

        var result = await SubscribeAsync(graph, "calls,automatic_events,messaging_handovers,user_id_update,standby");

        Assert.True(result.ExitCode == 0, result.AllOutput());
        Assert.Equal("calls,automatic_events,messaging_handovers,user_id_update,standby", Assert.Single(graph.Requests).Form["fields"]);
    }

    [Fact]
    public async Task A_misspelt_field_is_refused_with_the_list_before_any_graph_call()
    {
        await using var graph = await GraphStub.StartAsync(Ct);

        var result = await SubscribeAsync(graph, "messages,group_participant_update");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("group_participant_update is not a field Meta documents", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("group_participants_update", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(graph.Requests);
    }

    [Fact]
    public async Task Unsubscribe_app_removes_any_named_field_even_one_meta_no_longer_documents()
    {
        await using var graph = await GraphStub.StartAsync(Ct);

        var result = await CliCommand.RunAsync("unsubscribe", "app", "--app-id", GraphStub.AppId, "--fields", "group_participant_update",
            "--access-token", GraphStub.AppAccessToken, "--graph-url", graph.BaseUrl.ToString());

        Assert.True(result.ExitCode == 0, result.AllOutput());
        Assert.Equal("group_participant_update", Assert.Single(graph.Requests).Query["fields"]);
    }

    private Task<CliResult> SubscribeAsync(GraphStub graph, string fields) => CliCommand.RunAsync(
        "subscribe", "app", "--app-id", GraphStub.AppId, "--callback-url", serve.CallbackUrl.ToString(), "--verify-token", ServeFixture.VerifyToken,
        "--fields", fields, "--app-secret", GraphStub.AppSecret, "--graph-url", graph.BaseUrl.ToString(), "--skip-preflight");
}
