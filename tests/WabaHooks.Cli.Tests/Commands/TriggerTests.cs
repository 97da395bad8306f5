using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using WabaHooks.Cli.Tests.Support;
using WabaHooks.Inbox;
using WabaHooks.Testing;

namespace WabaHooks.Cli.Tests.Commands;

public sealed partial class TriggerTests(ServeFixture serve) : IClassFixture<ServeFixture>
{
    private const string TemplateWabaId = "109876543210001";
    private const string TemplatePhoneNumberId = "118765432100002";
    private const string StoryWamid = "wamid.HBgMNDQ3NzAwOTAwNDU2FQIAERgSQkFEQzBGRkVFMDAwMDAwMQA=";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string[] Trigger(params string[] more) => ["trigger", "--url", serve.CallbackUrl.ToString(), "--app-secret", ServeFixture.AppSecret, .. more];

    [Fact]
    public async Task Every_listed_field_and_variant_is_accepted_and_stored_byte_for_byte_with_the_run_ids()
    {
        var listing = await CliCommand.RunAsync("trigger", "--list");
        Assert.Equal(0, listing.ExitCode);
        var listed = ParseListing(listing.StandardOutput);
        Assert.Equal(ExamplePayloads.Names.Select(n => Path.GetFileNameWithoutExtension(n)).Order(StringComparer.Ordinal), listed.Select(FileName).Order(StringComparer.Ordinal));

        const string wabaId = "100000000000071";
        const string phoneNumberId = "100000000000072";
        var before = await LastIdAsync();
        var result = await CliCommand.RunAsync(Trigger("--all", "--waba-id", wabaId, "--phone-number-id", phoneNumberId));

        Assert.True(result.ExitCode == 0, result.AllOutput());
        foreach (var name in listed)
        {
            Assert.Contains($"OK    {name}  HTTP 200 (OK)", result.StandardOutput, StringComparison.Ordinal);
        }

        var stored = await DeliveriesAfterAsync(before);
        Assert.Equal(listed.Count, stored.Count);
        var texts = stored.Select(d => Encoding.UTF8.GetString(d.Body.Span)).ToList();
        Assert.All(texts, text => JsonDocument.Parse(text).Dispose());
        Assert.All(texts, text => Assert.DoesNotContain("HBgMNDQ3NzAwOTAwNDU2", text, StringComparison.Ordinal));

        // With the run's ids and timestamps put back, each stored body is exactly one template: same bytes, same escapes.
        var templates = ExamplePayloads.Names.Select(n => Normalize(Encoding.UTF8.GetString(ExamplePayloads.Read(n)), TemplateWabaId, TemplatePhoneNumberId));
        Assert.Equal(templates.Order(StringComparer.Ordinal), texts.Select(t => Normalize(t, wabaId, phoneNumberId)).Order(StringComparer.Ordinal));
        Assert.Contains(texts, t => t.Contains(@"\u00e9", StringComparison.Ordinal));

        // Statuses are about the run's outbound messages, and a reply's context refers to one of them. A status the
        // current message already had starts another message, so no status of the run is a duplicate.
        var replyContext = texts.Select(ContextIds).SelectMany(ids => ids).ToHashSet();
        var statusKeys = texts.SelectMany(StatusKeys).ToList();
        Assert.Contains(texts.SelectMany(StatusIds), replyContext.Contains);
        Assert.Equal(statusKeys.Count, statusKeys.Distinct().Count());

        // Another run makes up its own ids: its sent and read statuses share a wamid, not the first run's, in another WABA.
        var second = await CliCommand.RunAsync(Trigger("messages", "--variant", "status-sent-v23,status-read"));
        Assert.True(second.ExitCode == 0, second.AllOutput());
        var others = (await DeliveriesAfterAsync(stored[^1].Id)).Select(d => Encoding.UTF8.GetString(d.Body.Span)).ToList();
        Assert.Equal(2, others.Count);
        var otherStory = Assert.Single(others.SelectMany(StatusIds).Distinct());
        Assert.DoesNotContain(otherStory, texts.SelectMany(StatusIds));
        Assert.All(others, other =>
        {
            Assert.DoesNotContain(wabaId, other, StringComparison.Ordinal);
            Assert.DoesNotContain(TemplateWabaId, other, StringComparison.Ordinal);
            Assert.Contains(RunWabaId().Match(second.StandardOutput).Groups[1].Value, other, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Status_variants_of_one_run_tell_one_message_timeline_in_order_and_never_in_the_future()
    {
        var result = await CliCommand.RunAsync(Trigger("messages", "--variant", "status-sent-v23,status-delivered,status-read"));
        var after = DateTimeOffset.UtcNow;
        Assert.True(result.ExitCode == 0, result.AllOutput());

        var waba = RunWabaId().Match(result.StandardOutput).Groups[1].Value;
        var statuses = await Await.UntilAsync(() => StatusEventsAsync(waba), e => e.Count == 3, "the three statuses stored", TimeSpan.FromSeconds(30));
        var wamid = Assert.Single(statuses.Select(e => e.Id.Split(':')[1]).Distinct());
        var shown = await CliCommand.RunAsync("messages", "status", wamid, "--data-dir", serve.DataDir, "--json");
        Assert.True(shown.ExitCode == 0, shown.AllOutput());
        using var json = JsonDocument.Parse(shown.StandardOutput);
        Assert.Equal("read", json.RootElement.GetProperty("current").GetString());
        var timeline = json.RootElement.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal(["sent", "delivered", "read"], timeline.Select(t => t.GetProperty("status").GetString()));
        var times = timeline.Select(t => t.GetProperty("timestamp").GetDateTimeOffset()).ToList();
        Assert.Equal(times.Order(), times);
        Assert.All(times, t => Assert.InRange(t, after.AddMinutes(-5), after));
    }

    /// <summary>The status events stored for a run's WABA.</summary>
    private async Task<List<WabaHooks.Storage.StoredEvent>> StatusEventsAsync(string waba)
    {
        await using var store = serve.OpenStore();
        var events = await store.ListEventsAsync(new WabaHooks.Storage.EventQuery { WabaId = waba, Type = "statuses.*" }, Ct);
        return [.. events];
    }

    [Fact]
    public async Task A_count_sends_each_message_with_its_own_wamid_and_prints_progress_and_a_summary()
    {
        var before = await LastIdAsync();

        var result = await CliCommand.RunAsync(Trigger("messages", "--count", "20", "--concurrency", "4", "--waba-id", "100000000000081"));

        Assert.True(result.ExitCode == 0, result.AllOutput());
        Assert.Matches(@"Sent 20 to .*: 20 answered 200, 0 did not\. Latency p50 \d+ ms, p99 \d+ ms\.", result.StandardOutput);
        Assert.Contains("trigger: 20/20 (100%)", result.StandardError, StringComparison.Ordinal);
        var stored = await DeliveriesAfterAsync(before);
        Assert.Equal(20, stored.Count);
        var wamids = stored.Select(d => MessageIds(Encoding.UTF8.GetString(d.Body.Span)).Single()).ToList();
        Assert.Equal(20, wamids.Distinct().Count());
        Assert.All(stored, d => Assert.Contains("\"id\": \"100000000000081\"", Encoding.UTF8.GetString(d.Body.Span), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_is_sent_as_its_exact_bytes_signed()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("odd.json");
        var bytes = Encoding.UTF8.GetBytes("{\"object\":\"whatsapp_business_account\",   \"entry\":[],\"note\":\"caf\\u00E9 \\u2615\"}\r\n");
        await File.WriteAllBytesAsync(file, bytes, Ct);
        var before = await LastIdAsync();

        var result = await CliCommand.RunAsync(Trigger("--file", file));

        Assert.True(result.ExitCode == 0, result.AllOutput());
        Assert.Equal(bytes, Assert.Single(await DeliveriesAfterAsync(before)).Body.ToArray());
    }

    [Fact]
    public async Task Answers_other_than_200_make_trigger_fail()
    {
        var result = await CliCommand.RunAsync("trigger", "account_update", "--variant", "deleted", "--url", serve.CallbackUrl.ToString(), "--app-secret", "not-the-app-secret");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("FAIL  account_update/deleted  HTTP 401 (Unauthorized)", result.StandardOutput, StringComparison.Ordinal);

        // The server's own reason, so a wrong secret is told from a wrong path.
        var line = Assert.Single(result.StandardOutput.Split('\n'), l => l.StartsWith("FAIL", StringComparison.Ordinal));
        Assert.Contains("X-Hub-Signature-256", line, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-app-secret", result.AllOutput(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_field_has_a_default_variant_so_trigger_field_alone_works()
    {
        var result = await CliCommand.RunAsync("trigger", "account_update", "--url", serve.CallbackUrl.ToString(), "--app-secret", ServeFixture.AppSecret);

        Assert.True(result.ExitCode == 0, result.AllOutput());
        Assert.Contains("OK    account_update/volume-tier  HTTP 200 (OK)", result.StandardOutput, StringComparison.Ordinal);
        Assert.All(Cli.Trigger.TemplateCatalog.Fields, field => Assert.NotNull(Cli.Trigger.TemplateCatalog.Find(field, variant: null)));
    }

    private static List<string> ParseListing(string output) =>
    [
        .. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(line => line.Split(' ', 2, StringSplitOptions.TrimEntries))
            .SelectMany(parts => parts[1].Split(", ").Select(variant => parts[0] + "/" + variant)),
    ];

    private static string FileName(string listed)
    {
        var (field, variant) = (listed[..listed.IndexOf('/', StringComparison.Ordinal)], listed[(listed.IndexOf('/', StringComparison.Ordinal) + 1)..]);
        return variant == "default" ? field : field + "-" + variant;
    }

    private static string Normalize(string json, string wabaId, string phoneNumberId) =>
        Timestamp().Replace(
            Wamid().Replace(json.Replace($"\"{wabaId}\"", "\"WABA\"", StringComparison.Ordinal).Replace($"\"{phoneNumberId}\"", "\"PHONE\"", StringComparison.Ordinal), "X"),
            "T");

    private static IEnumerable<string> StatusIds(string json) => Values(json, "statuses", "id");

    /// <summary>What makes a status unique to Meta (and to the gateway's idempotency key): message, status, group member.</summary>
    private static IEnumerable<string> StatusKeys(string json) =>
        Values(json, "statuses", "id").Zip(Values(json, "statuses", "status"), (id, status) => id + ":" + status)
            .Zip(Values(json, "statuses", "recipient_participant_id").DefaultIfEmpty("").Concat(Enumerable.Repeat("", 100)), (key, member) => key + ":" + member);

    private static IEnumerable<string> MessageIds(string json) => Values(json, "messages", "id");

    private static IEnumerable<string> ContextIds(string json) => Values(json, "messages", "context");

    /// <summary>A property of each element of an array under entry[].changes[].value.</summary>
    private static List<string> Values(string json, string array, string property)
    {
        using var document = JsonDocument.Parse(json);
        var values = new List<string>();
        foreach (var entry in document.RootElement.GetProperty("entry").EnumerateArray())
        {
            foreach (var change in entry.GetProperty("changes").EnumerateArray())
            {
                if (change.GetProperty("value").TryGetProperty(array, out var items) && items.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in items.EnumerateArray())
                    {
                        if (item.TryGetProperty(property, out var value))
                        {
                            // A context names the message it refers to by id; a forwarded one has none.
                            if (value.ValueKind == JsonValueKind.String)
                            {
                                values.Add(value.GetString()!);
                            }
                            else if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("id", out var id))
                            {
                                values.Add(id.GetString()!);
                            }
                        }
                    }
                }
            }
        }

        return values;
    }

    private async Task<long> LastIdAsync()
    {
        await using var store = serve.OpenStore();
        return (await store.ListAsync(1, null, Ct)).FirstOrDefault()?.Id ?? 0;
    }

    private async Task<IReadOnlyList<Delivery>> DeliveriesAfterAsync(long afterId)
    {
        await using var store = serve.OpenStore();
        return await store.ReadAfterAsync(afterId, 1000, Ct);
    }

    [GeneratedRegex(@"(?<=wa[mc]id\.)[A-Za-z0-9+/=]+")]
    private static partial Regex Wamid();

    [GeneratedRegex(@"\b1[6-9][0-9]{8}\b")]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"Run ids: WABA ([0-9]+),")]
    private static partial Regex RunWabaId();
}
