using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using WabaHooks.Signatures;

namespace WabaHooks.LoadHarness;

/// <summary>
/// The example payloads in turn, each made new so that every event is stored rather than dropped as a duplicate (the
/// processor does its whole work, as with real traffic), and signed for the client's request. wrk's fixed set of
/// pre-signed bodies repeats within a second, so the open-loop and processing phases use this instead. What makes a
/// body new: a tag after every <c>wamid.</c> and <c>wacid.</c> (the keys of messages, statuses and calls); for the other
/// changes, whose key is a hash of the change with the entry's time, the entry's <c>time</c> moved on; for the few with
/// neither, the entry's id.
/// </summary>
internal sealed partial class UniquePayloads
{
    private readonly string[] _templates;
    private readonly string _secret;
    private long _sequence;

    public UniquePayloads(string payloadDirectory, string secret)
    {
        _templates = [.. Directory.GetFiles(payloadDirectory, "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllText)];
        if (_templates.Length == 0)
        {
            throw new InvalidOperationException($"No payloads in {payloadDirectory}.");
        }

        _secret = secret;
    }

    public int Count => _templates.Length;

    /// <summary>The next body (a new one every call, safe from any thread) and its <c>X-Hub-Signature-256</c>.</summary>
    public (byte[] Body, string Signature) Next()
    {
        var n = Interlocked.Increment(ref _sequence);
        var template = _templates[n % _templates.Length];
        var tag = n.ToString("x", CultureInfo.InvariantCulture);
        string text;
        if (template.Contains("wamid.", StringComparison.Ordinal) || template.Contains("wacid.", StringComparison.Ordinal))
        {
            text = template.Replace("wamid.", $"wamid.LT{tag}.", StringComparison.Ordinal).Replace("wacid.", $"wacid.LT{tag}.", StringComparison.Ordinal);
        }
        else if (EntryTime().Match(template) is { Success: true } time)
        {
            var moved = long.Parse(time.Groups[2].Value, CultureInfo.InvariantCulture) + n;
            text = string.Concat(template.AsSpan(0, time.Groups[2].Index), moved.ToString(CultureInfo.InvariantCulture), template.AsSpan(time.Groups[2].Index + time.Groups[2].Length));
        }
        else
        {
            var id = FirstId().Match(template);
            text = id.Success ? template.Insert(id.Groups[1].Index + id.Groups[1].Length, tag) : template;
        }

        var body = Encoding.UTF8.GetBytes(text);
        return (body, WebhookSignature.Sign(body, _secret));
    }

    [GeneratedRegex("(\"time\"\\s*:\\s*)(\\d+)")]
    private static partial Regex EntryTime();

    [GeneratedRegex("\"id\"\\s*:\\s*\"(\\d+)")]
    private static partial Regex FirstId();
}
