using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WabaHooks.Destinations;
using WabaHooks.Graph.Media;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Hosting.Handlers;
using WabaHooks.Payloads;
using WabaHooks.Signatures;
using WabaHooks.Storage;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;
using WabaHooks.Testing.Graph;

namespace WabaHooks.Graph.Tests.Media;

/// <summary>
/// Media kept on arrival, against the Graph stub: <c>GET /{media-id}</c>, the short-lived URL with the token, the
/// SHA-256 Meta sent, the media sinks' retries and dead letters, and handlers that wait for the media.
/// </summary>
public sealed class MediaFetchTests
{
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, .. "WabaHooks media test image"u8, 0xFF, 0xD9];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_image_is_fetched_with_the_token_verified_against_metas_sha256_and_kept_in_the_directory()
    {
        using var dir = new TempDirectory();
        await using var graph = await GraphStub.StartAsync(Ct);
        graph.AddMedia("1300000000000901", Jpeg, "image/jpeg");
        await using var host = await MediaHost.StartAsync(dir.Path, graph);

        await host.ReceiveAsync("wamid.MEDIA901", "image", "1300000000000901", MediaHost.Sha256Of(Jpeg));

        var stored = await Await.UntilAsync(() => host.Store.FindAsync("wamid.MEDIA901", Ct), m => m is not null, "the image kept");
        Assert.Equal(("1300000000000901", "image/jpeg", MediaHost.Sha256Of(Jpeg), (long)Jpeg.Length), (stored!.MediaId, stored.MimeType, stored.Sha256, stored.Length));
        Assert.StartsWith(host.MediaDirectory, stored.Location, StringComparison.Ordinal);
        Assert.Equal(Jpeg, await File.ReadAllBytesAsync(stored.Location, Ct));
        await Await.UntilAsync(() => host.BacklogAsync("media:image"), b => b.Done == 1, "the media sink done");
        var requests = graph.Requests;
        Assert.Equal([$"/v24.0/1300000000000901", "/media/1300000000000901"], requests.Select(r => r.Path));
        Assert.All(requests, r => Assert.Equal("Bearer " + GraphStub.AccessToken, r.Authorization));
    }

    [Fact]
    public async Task Media_whose_bytes_do_not_have_the_sha256_meta_sent_is_retried_then_dead_lettered_and_never_kept()
    {
        using var dir = new TempDirectory();
        await using var graph = await GraphStub.StartAsync(Ct);
        graph.AddMedia("1300000000000902", Jpeg, "image/jpeg");
        await using var host = await MediaHost.StartAsync(dir.Path, graph);

        await host.ReceiveAsync("wamid.MEDIA902", "image", "1300000000000902", MediaHost.Sha256Of([1, 2, 3]));

        var backlog = await Await.UntilAsync(() => host.BacklogAsync("media:image"), b => b.Dead == 1, "the fetch dead-lettered");
        Assert.Equal((0L, 0L), (backlog.Pending, backlog.Done));
        Assert.Null(await host.Store.FindAsync("wamid.MEDIA902", Ct));
        Assert.Empty(Directory.Exists(host.MediaDirectory) ? Directory.GetFiles(host.MediaDirectory) : []);
        // Handlers:MaxAttempts is 3: each attempt asked for the media and downloaded it.
        Assert.Equal(3, graph.Requests.Count(r => r.Path == "/v24.0/1300000000000902"));
        Assert.Equal(3, graph.Requests.Count(r => r.Path == "/media/1300000000000902"));
    }

    [Fact]
    public async Task An_expired_url_in_the_message_is_replaced_by_a_fresh_one_from_get_media_id()
    {
        using var dir = new TempDirectory();
        await using var graph = await GraphStub.StartAsync(Ct);
        graph.AddMedia("1300000000000903", Jpeg, "image/jpeg");
        await using var host = await MediaHost.StartAsync(dir.Path, graph);

        await host.ReceiveAsync("wamid.MEDIA903", "image", "1300000000000903", MediaHost.Sha256Of(Jpeg), graph.ExpiredMediaUrl("1300000000000903").AbsoluteUri);

        var stored = await Await.UntilAsync(() => host.Store.FindAsync("wamid.MEDIA903", Ct), m => m is not null, "the image kept");
        Assert.Equal(Jpeg, await File.ReadAllBytesAsync(stored!.Location, Ct));
        var requests = graph.Requests;
        Assert.Equal(["/media/1300000000000903", "/v24.0/1300000000000903", "/media/1300000000000903"], requests.Select(r => r.Path));
        Assert.Equal("expired", requests[0].Query["token"]);
        Assert.NotEqual("expired", requests[2].Query["token"]);
        // The sink records its outcome once the fetch has returned, just after the store has the media.
        await Await.UntilAsync(() => host.BacklogAsync("media:image"), b => b.Done == 1, "the media sink done");
    }

    [Fact]
    public async Task A_url_that_expires_between_get_and_download_fails_the_attempt_and_the_retry_gets_a_fresh_one()
    {
        using var dir = new TempDirectory();
        await using var graph = await GraphStub.StartAsync(Ct);
        graph.AddMedia("1300000000000904", Jpeg, "image/jpeg");
        // The first download finds its URL expired, as when Meta's minutes pass before the download starts.
        graph.Enqueue(new ScriptedReply(200, $$"""{"url":"{{graph.ExpiredMediaUrl("1300000000000904").AbsoluteUri}}","mime_type":"image/jpeg","id":"1300000000000904"}"""));
        await using var host = await MediaHost.StartAsync(dir.Path, graph);

        await host.ReceiveAsync("wamid.MEDIA904", "image", "1300000000000904", MediaHost.Sha256Of(Jpeg));

        var stored = await Await.UntilAsync(() => host.Store.FindAsync("wamid.MEDIA904", Ct), m => m is not null, "the image kept");
        Assert.Equal(Jpeg, await File.ReadAllBytesAsync(stored!.Location, Ct));
        Assert.Equal(2, graph.Requests.Count(r => r.Path == "/v24.0/1300000000000904"));
    }

    [Fact]
    public async Task A_handler_that_asks_for_the_media_runs_only_once_it_is_kept_and_sees_where()
    {
        using var dir = new TempDirectory();
        await using var graph = await GraphStub.StartAsync(Ct);
        var seen = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var plainRuns = 0;
        await using var host = await MediaHost.StartAsync(dir.Path, graph, hooks =>
        {
            hooks.OnMediaStored<ImageMessage>(async (context, ct) =>
            {
                seen.TrySetResult((await context.GetStoredMediaAsync(ct))?.Location);
            }, name: "needs-media");
            hooks.On<ImageMessage>((context, ct) =>
            {
                Interlocked.Increment(ref plainRuns);
                return Task.CompletedTask;
            }, name: "plain");
        },
        // Enough attempts (each at most 50 ms apart) that neither sink gives up before the media shows up.
        maxAttempts: 200);

        // The media is not at Meta yet: the fetch fails, and the waiting handler with it.
        await host.ReceiveAsync("wamid.MEDIA905", "image", "1300000000000905", MediaHost.Sha256Of(Jpeg));
        await Await.UntilAsync(() => graph.Requests.Count(r => r.Path == "/v24.0/1300000000000905") >= 1, "a first fetch attempt");
        Assert.False(seen.Task.IsCompleted);
        graph.AddMedia("1300000000000905", Jpeg, "image/jpeg");

        var location = await Await.Within(seen);
        var stored = await host.Store.FindAsync("wamid.MEDIA905", Ct);
        Assert.Equal(stored!.Location, location);
        Assert.True(File.Exists(location));
        Assert.Equal(1, Volatile.Read(ref plainRuns));
    }

    [Fact]
    public async Task A_destination_that_waits_for_media_sends_once_it_is_kept_its_event_message_carrying_where_and_metas_bytes_untouched()
    {
        using var dir = new TempDirectory();
        await using var graph = await GraphStub.StartAsync(Ct);
        await using var server = await DestinationServer.StartAsync();
        await using var host = await MediaHost.StartAsync(dir.Path, graph, hooks =>
        {
            hooks.AddDestination(Waiting("as-event", server, DestinationFormat.Event, StandardWebhooks.GenerateSecret()));
            hooks.AddDestination(Waiting("as-meta", server, DestinationFormat.Meta, "meta-destination-secret"));
        },
        maxAttempts: 200);

        // The media is not at Meta yet: the fetch fails, and both destinations hold the event back.
        var body = await host.ReceiveAsync("wamid.MEDIA906", "image", "1300000000000906", MediaHost.Sha256Of(Jpeg));
        await Await.UntilAsync(() => graph.Requests.Count(r => r.Path == "/v24.0/1300000000000906") >= 1, "a first fetch attempt");
        var work = host.Services.GetRequiredService<ISinkWorkStore>();
        var held = await Await.UntilAsync(
            () => work.ListAttemptsAsync("msg:wamid.MEDIA906", "destination:as-event", Ct), a => a.Count >= 1, "a held-back attempt");
        Assert.Empty(server.Received);
        graph.AddMedia("1300000000000906", Jpeg, "image/jpeg");

        await server.WaitUntilAsync(r => r.Count == 2, TimeSpan.FromSeconds(30), "both destinations' requests");
        var stored = await host.Store.FindAsync("wamid.MEDIA906", Ct);
        var asEvent = server.Received.Single(r => r.Header("webhook-id") is not null);
        var asMeta = server.Received.Single(r => r.Header("x-hub-signature-256") is not null);
        using var json = JsonDocument.Parse(asEvent.Body);
        var media = json.RootElement.GetProperty("data").GetProperty("media");
        Assert.Equal("waiting for the image of message wamid.MEDIA906 to be kept", held[0].Error);
        Assert.Null(held[0].StatusCode);
        Assert.Equal(
            ("1300000000000906", "image/jpeg", MediaHost.Sha256Of(Jpeg), (long)Jpeg.Length, stored!.Location),
            (media.GetProperty("id").GetString(), media.GetProperty("mime_type").GetString(), media.GetProperty("sha256").GetString(),
             media.GetProperty("size").GetInt64(), media.GetProperty("location").GetString()));
        Assert.Equal(stored.StoredAt, media.GetProperty("stored_at").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.Equal(Jpeg, await File.ReadAllBytesAsync(media.GetProperty("location").GetString()!, Ct));
        // Meta's format is Meta's bytes: the whole delivery, as it came, with no media object added.
        Assert.Equal(body, asMeta.Body);
    }

    [Fact]
    public async Task A_destination_that_waits_for_media_where_none_is_kept_stops_start_up_saying_what_to_fix()
    {
        using var dir = new TempDirectory();
        await using var server = await DestinationServer.StartAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddWabaHooks(o =>
        {
            o.VerifyToken = "token";
            o.AppSecrets.Add(new AppSecret("app", "secret"));
        })
        .UseSqlite(dir.Path)
        .AddDestination(Waiting("as-event", server, DestinationFormat.Event, StandardWebhooks.GenerateSecret()));
        using var host = builder.Build();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(Ct));

        Assert.Contains("Destination 'as-event': WaitForMedia waits for media kept on arrival, and none is kept: call AddMedia()", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>A destination that waits for media, retrying every few milliseconds while it waits.</summary>
    private static DestinationOptions Waiting(string name, DestinationServer server, DestinationFormat format, string secret)
    {
        var destination = new DestinationOptions { Name = name, Url = server.Url, Format = format, Secret = secret, WaitForMedia = true, PollInterval = TimeSpan.FromMilliseconds(20) };
        destination.Retry.BaseDelay = TimeSpan.FromMilliseconds(10);
        destination.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
        return destination;
    }

    [Fact]
    public void Media_settings_missing_a_directory_or_holding_an_unknown_type_stop_start_up_saying_what_to_fix()
    {
        var options = new MediaOptions { Graph = { AccessToken = GraphStub.AccessToken } };
        options.Types.Add("gif");

        var errors = options.Validate();

        Assert.Contains(errors, e => e.Contains("Media:Directory is empty", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Media:Types holds 'gif'", StringComparison.Ordinal));
    }
}
