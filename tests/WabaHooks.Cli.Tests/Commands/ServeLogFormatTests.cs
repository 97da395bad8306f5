using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using WabaHooks.Signatures;
using WabaHooks.Testing;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Commands;

/// <summary><c>serve --log-format json</c> writes standard output as one JSON object a line, for log shippers.</summary>
public sealed class ServeLogFormatTests : IDisposable
{
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Json_logs_are_one_object_a_line_with_the_entry_fields_and_the_trace_id_and_the_banner_goes_to_stderr()
    {
        var port = FreePort.Next();
        var callback = new Uri($"http://127.0.0.1:{port}/webhook");
        await using var serve = CliProcess.Start(
            ["serve", "--urls", $"http://127.0.0.1:{port}", "--data-dir", _dir.Combine("data"), "--verify-token", "t", "--app-secret", Secret, "--log-format", "json"],
            _dir.Path);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await Await.UntilAsync(async () => serve.StandardError.Contains("Callback URL:", StringComparison.Ordinal), "the banner on standard error");

        var body = ExamplePayloads.Read("messages-text.json");
        using var forged = new HttpRequestMessage(HttpMethod.Post, callback) { Content = new ByteArrayContent(body) };
        forged.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        forged.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, "not-the-secret"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(forged, Ct)).StatusCode);
        var refused = await serve.WaitForOutputAsync("Refused POST", TimeSpan.FromSeconds(10));

        Assert.DoesNotContain("Callback URL:", serve.StandardOutput, StringComparison.Ordinal);
        Assert.All(serve.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => JsonDocument.Parse(line).Dispose());
        using var entry = JsonDocument.Parse(refused);
        var root = entry.RootElement;
        Assert.Equal("Warning", root.GetProperty("LogLevel").GetString());
        Assert.Equal("127.0.0.1", root.GetProperty("State").GetProperty("RemoteAddress").GetString());
        Assert.Equal(401, root.GetProperty("State").GetProperty("StatusCode").GetInt32());
        var traceId = root.GetProperty("Scopes").EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("TraceId", out _)).Select(s => s.GetProperty("TraceId").GetString()).FirstOrDefault();
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        Assert.DoesNotContain(Secret, serve.StandardOutput + serve.StandardError, StringComparison.Ordinal);
    }
}
