using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using WabaHooks.Signatures;
using WabaHooks.Testing;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Commands;

/// <summary>The dashboard in a real <c>serve</c>: the login link it prints opens the pages, which show what arrived.</summary>
public sealed partial class ServeDashboardTests : IDisposable
{
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_printed_login_link_opens_the_dashboard_which_shows_a_delivery_sent_to_the_callback()
    {
        var (serve, callback) = await CliProcess.StartServeAsync(["--urls", "http://127.0.0.1:0", "--data-dir", _dir.Combine("data"), "--verify-token", "t", "--app-secret", Secret], _dir.Path);
        await using (serve)
        {
            var login = new Uri(LoginLine().Match(serve.StandardOutput).Groups["url"].Value);
            using var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
            using var browser = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(20) };
            using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

            var body = ExamplePayloads.Read("messages-text.json");
            using var post = new HttpRequestMessage(HttpMethod.Post, new Uri(callback, "/webhook")) { Content = new ByteArrayContent(body) };
            post.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            post.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, Secret));
            using (var answer = await browser.SendAsync(post, Ct))
            {
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            }

            // Without the cookie a page sends the browser to the login form.
            using var refused = await anonymous.GetAsync(new Uri(login, "/events"), Ct);
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);

            // The link logs in and lands on the live events page.
            using var landed = await browser.GetAsync(login, Ct);
            Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
            Assert.EndsWith("/events", landed.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
            var html = await Await.UntilAsync(
                async () => await browser.GetStringAsync(new Uri(login, "/events"), Ct),
                page => page.Contains("messages.text", StringComparison.Ordinal),
                "the delivery's event on the live events page");
            Assert.Contains("Live events", html, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, html, StringComparison.Ordinal);

            // The callback listener serves no dashboard page.
            using var onCallback = await anonymous.GetAsync(new Uri(callback, "/events"), Ct);
            Assert.Equal(HttpStatusCode.NotFound, onCallback.StatusCode);
        }
    }

    [GeneratedRegex(@"Dashboard:\s+(?<url>http://\S+/login\S*)")]
    private static partial Regex LoginLine();
}
