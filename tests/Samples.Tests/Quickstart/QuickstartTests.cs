using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using WabaHooks.Signatures;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;
using WabaHooks.Testing.Processes;

namespace Samples.Tests.Quickstart;

/// <summary>
/// The README's library example, <c>samples/Quickstart</c>: the README shows its Program.cs and appsettings.json exactly,
/// and that app, run with that file, verifies, stores, hands texts to its handler class and feeds both destinations.
/// </summary>
public sealed partial class QuickstartTests : IDisposable
{
    private const string AppSecret = "0123456789abcdef0123456789abcdef";
    private const string CrmSecret = "crm-shared-secret";
    private const string AnalyticsSecret = "whsec_cXVpY2tzdGFydC1hbmFseXRpY3Mtc2VjcmV0LTMy";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Sample(string file) => RepositoryRoot.Combine("samples", "Quickstart", file);

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("Program.cs")]
    [InlineData("appsettings.json")]
    public void The_readme_shows_the_sample_file_exactly(string file)
    {
        var readme = File.ReadAllText(RepositoryRoot.Combine("README.md")).ReplaceLineEndings("\n");
        var shown = Regex.Match(readme, $@"`samples/Quickstart/{Regex.Escape(file)}`:?\n\n```[a-z]*\n(.*?)```\n", RegexOptions.Singleline);

        Assert.True(shown.Success, $"README.md has no code block after `samples/Quickstart/{file}`.");
        Assert.Equal(File.ReadAllText(Sample(file)).ReplaceLineEndings("\n"), shown.Groups[1].Value);
    }

    [Fact]
    public async Task With_its_appsettings_json_it_stores_a_signed_text_runs_the_handler_class_and_feeds_both_destinations()
    {
        await using var crm = await DestinationServer.StartAsync();
        await using var analytics = await DestinationServer.StartAsync();
        WriteSecrets();
        await using var app = StartSample(new Dictionary<string, string>
        {
            // Only the addresses differ from the file: the destinations here listen on free local ports.
            ["WabaHooks__Destinations__0__Url"] = crm.Url.ToString(),
            ["WabaHooks__Destinations__1__Url"] = analytics.Url.ToString(),
        });
        var listening = await app.WaitForOutputAsync("Now listening on: ", Bound);
        var address = new Uri(ListeningOn().Match(listening).Groups[1].Value);
        using var client = new HttpClient { BaseAddress = address, Timeout = Bound };

        var verified = await client.GetStringAsync(new Uri("/webhook?hub.mode=subscribe&hub.verify_token=quickstart-verify-token&hub.challenge=42", UriKind.Relative), Ct);
        Assert.Equal("42", verified);
        foreach (var payload in new[] { "messages-text.json", "messages-status-delivered.json" })
        {
            var body = ExamplePayloads.Read(payload);
            using var post = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = new ByteArrayContent(body) };
            post.Content.Headers.ContentType = new("application/json");
            post.Headers.Add("X-Hub-Signature-256", WebhookSignature.Sign(body, AppSecret));
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(post, Ct)).StatusCode);
        }

        await crm.WaitUntilAsync(r => r.Count == 1, Bound, "the text at the crm destination");
        await analytics.WaitUntilAsync(r => r.Count == 1, Bound, "the status at the analytics destination");
        await app.WaitForOutputAsync("Text msg:", Bound);

        var forwarded = Assert.Single(crm.Received);
        Assert.Equal(WebhookSignature.Sign(forwarded.Body, CrmSecret), forwarded.Header("X-Hub-Signature-256"));
        Assert.Contains("\"messages\"", Encoding.UTF8.GetString(forwarded.Body), StringComparison.Ordinal);
        var status = Assert.Single(analytics.Received);
        Assert.StartsWith("statuses.", Encoding.UTF8.GetString(status.Body).Split("\"type\":\"")[1], StringComparison.Ordinal);
        Assert.NotNull(status.Header("webhook-signature"));
        Assert.True(File.Exists(Path.Combine(_dir.Path, "wabahooks-data", "wabahooks.db")));
    }

    [Fact]
    public async Task A_secret_file_that_is_missing_stops_start_up_naming_it()
    {
        WriteSecrets();
        File.Delete(Path.Combine(_dir.Path, "secrets", "crm_secret"));

        await using var app = StartSample(new Dictionary<string, string>());
        var exitCode = await app.WaitForExitAsync(Bound);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("WabaHooks:Destinations:0:Secret: cannot read the secret file secrets/crm_secret", app.StandardError + app.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(AppSecret, app.StandardError + app.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>The secrets the sample's appsettings.json reads from files, as Docker or Kubernetes would mount them.</summary>
    private void WriteSecrets()
    {
        var secrets = Directory.CreateDirectory(Path.Combine(_dir.Path, "secrets")).FullName;
        File.WriteAllText(Path.Combine(secrets, "verify_token"), "quickstart-verify-token\n");
        File.WriteAllText(Path.Combine(secrets, "meta_app_secret"), AppSecret + "\n");
        File.WriteAllText(Path.Combine(secrets, "crm_secret"), CrmSecret + "\n");
        File.WriteAllText(Path.Combine(secrets, "analytics_secret"), AnalyticsSecret + "\n");
    }

    /// <summary>Runs the built sample from a folder holding its appsettings.json, byte for byte, as its content root.</summary>
    private CliProcess StartSample(Dictionary<string, string> environment)
    {
        File.Copy(Sample("appsettings.json"), Path.Combine(_dir.Path, "appsettings.json"));
        var dll = RepositoryRoot.Combine("samples", "Quickstart", "bin", RepositoryRoot.Configuration, "net10.0", "Quickstart.dll");
        environment["DOTNET_ENVIRONMENT"] = "Production";
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return CliProcess.StartDll(dll, ["--urls", "http://127.0.0.1:0"], _dir.Path, environment);
    }

    [GeneratedRegex(@"Now listening on: (http://[^\s]+)")]
    private static partial Regex ListeningOn();
}
