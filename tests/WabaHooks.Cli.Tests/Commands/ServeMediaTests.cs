using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using WabaHooks.Cli.Tests.Support;
using WabaHooks.Signatures;
using WabaHooks.Testing;
using WabaHooks.Testing.Graph;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Commands;

/// <summary><c>serve</c> with Media settings keeps an image that arrives, and <c>media get</c> gives it back.</summary>
public sealed class ServeMediaTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_with_media_settings_keeps_an_arriving_image_and_media_get_returns_its_bytes()
    {
        using var dir = new TempDirectory();
        await using var graph = await GraphStub.StartAsync(Ct);
        byte[] image = [0xFF, 0xD8, 0xFF, 0xE0, .. "served image"u8, 0xFF, 0xD9];
        graph.AddMedia("1300000000000081", image, "image/jpeg");
        var data = dir.Combine("data");
        var environment = new Dictionary<string, string>
        {
            ["WabaHooks__Media__Graph__BaseUrl"] = graph.BaseUrl.ToString(),
            ["WabaHooks__Media__Graph__AccessToken"] = GraphStub.AccessToken,
        };
        var (serve, callback) = await CliProcess.StartServeAsync(["--urls", "http://127.0.0.1:0", "--data-dir", data, "--verify-token", "t", "--app-secret", Secret], dir.Path, environment);
        await using (serve)
        {
            // The example's sha256 and URL are made up: give it the image's own hash and no URL, so the stub is asked.
            var json = Encoding.UTF8.GetString(ExamplePayloads.Read("messages-image.json"));
            json = json.Replace("u3bY1examplesha256base64valueAAAAAAAAAAAAAA=", Convert.ToBase64String(SHA256.HashData(image)), StringComparison.Ordinal);
            json = System.Text.RegularExpressions.Regex.Replace(json, @",\s*""url"": ""[^""]*""", "");
            var body = Encoding.UTF8.GetBytes(json);
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            using var post = new HttpRequestMessage(HttpMethod.Post, callback) { Content = new ByteArrayContent(body) };
            post.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            post.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, Secret));
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(post, Ct)).StatusCode);

            var output = dir.Combine("kept.jpg");
            var wamid = System.Text.RegularExpressions.Regex.Match(json, @"""id"": ""(wamid\.[^""]+)""").Groups[1].Value;
            await Await.UntilAsync(
                async () => (await CliCommand.RunAsync("media", "get", wamid, "--output", output, "--data-dir", data)).ExitCode == 0,
                "the image kept by serve");
            Assert.Equal(image, await File.ReadAllBytesAsync(output, Ct));
            Assert.DoesNotContain(GraphStub.AccessToken, serve.StandardOutput + serve.StandardError, StringComparison.Ordinal);
        }
    }
}
