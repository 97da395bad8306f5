using System.Net;
using System.Net.Http.Headers;
using System.Text;
using WabaHooks.Signatures;
using WabaHooks.Sqlite;
using WabaHooks.Storage;
using WabaHooks.Testing;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Commands;

public sealed class ProcessingCrashTests : IDisposable
{
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    private static byte[] TwoMessages(int n) => Encoding.UTF8.GetBytes(
        $$$"""{"object":"whatsapp_business_account","entry":[{"id":"109876543210001","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550142233","phone_number_id":"118765432100002"},"messages":[{"from":"447700900456","id":"wamid.crash-{{{n}}}-a","timestamp":"1767261601","type":"text","text":{"body":"a"}},{"from":"447700900456","id":"wamid.crash-{{{n}}}-b","timestamp":"1767261602","type":"text","text":{"body":"b"}}]}}]}]}""");

    [Fact]
    public async Task A_gateway_killed_while_processing_resumes_with_every_event_stored_exactly_once()
    {
        string[] args = ["--urls", "http://127.0.0.1:0", "--data-dir", _dir.Combine("data"), "--verify-token", "t", "--app-secret", Secret];
        var acknowledged = 0;
        var (serve, callback) = await CliProcess.StartServeAsync(args, _dir.Path);
        await using (serve)
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            var sends = Enumerable.Range(0, 300).Select(async n =>
            {
                var body = TwoMessages(n);
                var request = new HttpRequestMessage(HttpMethod.Post, callback) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, Secret));
                return (await client.SendAsync(request, Ct)).StatusCode;
            });
            acknowledged = (await Task.WhenAll(sends)).Count(s => s == HttpStatusCode.OK);

            // The processor runs behind the 200s: kill the process while it is (most likely) mid-backlog.
            serve.Kill();
        }

        Assert.Equal(300, acknowledged);
        var (restarted, _) = await CliProcess.StartServeAsync(args, _dir.Path);
        await using (restarted)
        {
            await using var store = new SqliteStore(SqliteStoreOptions.ForDataDirectory(_dir.Combine("data")));
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await store.ListDeliveryOutcomesAsync(1000, null, Ct)).Count < 300 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, Ct);
            }

            Assert.Equal(300, (await store.ListDeliveryOutcomesAsync(1000, null, Ct)).Count);
            var events = await store.ListEventsAsync(new EventQuery { Limit = 10_000 }, Ct);
            Assert.Equal(600, events.Count);
            var expected = Enumerable.Range(0, 300).SelectMany(n => new[] { $"msg:wamid.crash-{n}-a", $"msg:wamid.crash-{n}-b" }).ToHashSet();
            Assert.True(expected.SetEquals(events.Select(e => e.Id)));
        }
    }
}
