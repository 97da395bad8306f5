using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using WabaHooks.Testing;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Commands;

public sealed partial class ServeAdminTests : IDisposable
{
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private readonly TempDirectory _dir = new();
    private readonly HttpClient _client = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(20) };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _client.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Serve_prints_a_login_link_whose_generated_token_opens_the_admin_api_which_the_callback_listener_never_serves()
    {
        var data = _dir.Combine("data");
        var (serve, callback) = await CliProcess.StartServeAsync(["--urls", "http://127.0.0.1:0", "--data-dir", data, "--verify-token", "t", "--app-secret", Secret], _dir.Path);
        await using (serve)
        {
            var login = new Uri(LoginLine().Match(serve.StandardOutput).Groups["url"].Value);
            var token = login.Query["?t=".Length..];
            var admin = new Uri(login.GetLeftPart(UriPartial.Authority));

            using var anonymous = await _client.GetAsync(new Uri(admin, "/api/events"), Ct);
            using var bearer = new HttpRequestMessage(HttpMethod.Get, new Uri(admin, "/api/events"));
            bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var read = await _client.SendAsync(bearer, Ct);
            using var clicked = await _client.GetAsync(login, Ct);

            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, clicked.StatusCode);
            Assert.Contains(clicked.Headers.GetValues("Set-Cookie"), c => c.StartsWith("wabahooks_admin=", StringComparison.Ordinal));
            Assert.Equal(token, (await File.ReadAllTextAsync(Path.Combine(data, "admin-token"), Ct)).Trim());
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "admin-token")));

            // The webhook listener serves none of it: a proxy that exposes the callback URL exposes nothing else.
            foreach (var path in new[] { "/api/events", "/login", "/openapi/v1.json", "/metrics", "/api/stream" })
            {
                using var onCallback = await _client.GetAsync(new Uri(callback, path), Ct);
                Assert.Equal(HttpStatusCode.NotFound, onCallback.StatusCode);
            }
        }
    }

    [Fact]
    public async Task A_session_cookie_issued_before_a_serve_restart_is_still_accepted_after_it()
    {
        var data = _dir.Combine("data");
        string[] arguments = ["--urls", "http://127.0.0.1:0", "--data-dir", data, "--verify-token", "t", "--app-secret", Secret];
        // Each run gets a home (and working folder) of its own: keys left to ASP.NET Core's default, under $HOME (or the
        // working folder when $HOME does not exist), could not carry a session over.
        async Task<(CliProcess Serve, Uri Login)> StartAsync(string home)
        {
            var folder = Directory.CreateDirectory(_dir.Combine(home)).FullName;
            var (serve, _) = await CliProcess.StartServeAsync(arguments, folder, new Dictionary<string, string> { ["HOME"] = folder });
            return (serve, new Uri(LoginLine().Match(serve.StandardOutput).Groups["url"].Value));
        }

        async Task<HttpResponseMessage> MeAsync(Uri login, string cookie)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(login, "/api/me"));
            request.Headers.Add("Cookie", cookie);
            return await _client.SendAsync(request, Ct);
        }

        string cookie;
        var (first, firstLogin) = await StartAsync("home-1");
        await using (first)
        {
            using var clicked = await _client.GetAsync(firstLogin, Ct);
            cookie = clicked.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("wabahooks_admin=", StringComparison.Ordinal)).Split(';')[0];
            using var before = await MeAsync(firstLogin, cookie);
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
            first.Terminate();
            Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        var (second, secondLogin) = await StartAsync("home-2");
        await using (second)
        {
            using var after = await MeAsync(secondLogin, cookie);
            using var forged = await MeAsync(secondLogin, "wabahooks_admin=" + cookie[(cookie.IndexOf('=', StringComparison.Ordinal) + 1)..^4] + "AAAA");

            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            Assert.Contains("\"operator\"", await after.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }

        var keys = Path.Combine(data, "admin-keys");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
        Assert.NotEmpty(Directory.GetFiles(keys, "key-*.xml"));
        Assert.False(Directory.Exists(_dir.Combine("home-1", ".aspnet")));
        Assert.False(Directory.Exists(_dir.Combine("home-2", ".aspnet")));
    }

    [Fact]
    public async Task A_configured_admin_token_is_used_and_never_printed()
    {
        const string Token = "configured-operator-token-0123456789";
        var (serve, _) = await CliProcess.StartServeAsync(
            ["--urls", "http://127.0.0.1:0", "--data-dir", _dir.Combine("data"), "--verify-token", "t", "--app-secret", Secret],
            _dir.Path,
            new Dictionary<string, string> { ["WabaHooks__Admin__OperatorToken"] = Token });
        await using (serve)
        {
            var login = new Uri(LoginLine().Match(serve.StandardOutput).Groups["url"].Value);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(login, "/api/me"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            using var me = await _client.SendAsync(request, Ct);

            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            Assert.Contains("\"operator\"", await me.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            Assert.DoesNotContain(Token, serve.StandardOutput + serve.StandardError, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(_dir.Combine("data"), "admin-token")));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Serve_refuses_an_admin_address_off_loopback_without_configured_tokens(bool fromFlag)
    {
        // From the flag or from the environment: the check reads the configuration, whatever its source.
        string[] arguments = ["serve", "--urls", "http://127.0.0.1:0", "--data-dir", _dir.Combine("data"), "--verify-token", "t", "--app-secret", Secret];
        var result = fromFlag
            ? await CliProcess.RunAsync([.. arguments, "--admin-urls", "http://0.0.0.0:0"], _dir.Path)
            : await CliProcess.RunAsync(arguments, _dir.Path, new Dictionary<string, string> { ["WabaHooks__Admin__Urls"] = "http://0.0.0.0:0" });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("'http://0.0.0.0:0' is reachable from other machines", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("Admin:OperatorToken", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_admin_token_stops_start_up_without_repeating_it()
    {
        var result = await CliProcess.RunAsync(
            ["serve", "--urls", "http://127.0.0.1:0", "--data-dir", _dir.Combine("data"), "--verify-token", "t", "--app-secret", Secret],
            _dir.Path,
            new Dictionary<string, string> { ["WabaHooks__Admin__ViewerToken"] = "short-secret" });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Admin:ViewerToken must be at least 16 characters", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("short-secret", result.StandardError, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Dashboard:\s+(?<url>http://\S+/login\S*)")]
    private static partial Regex LoginLine();
}
