using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace WabaHooks.Cli.Trigger;

/// <summary>
/// Turns templates into fresh notifications for one run of <c>trigger</c>: the WABA and phone-number ids of the run,
/// timestamps of now (never later), and wamids that hang together — every status is about the run's one outbound
/// message, every reply context, reaction or edit refers to a wamid of this run, the same one each time within the
/// run, and never to one from another run.
/// </summary>
/// <remarks>
/// Only the values of JSON tokens are replaced, in place, on the template's bytes: the text around them, escapes such
/// as <c>\u00e9</c> included, stays exactly as Meta writes it, and the signature covers exactly the bytes sent.
/// Not thread-safe: render every body first, then send them.
/// </remarks>
internal sealed class TriggerRun
{
    /// <summary>The ids the templates use, from shared/payloads.</summary>
    public const string TemplateWabaId = "109876543210001";

    public const string TemplatePhoneNumberId = "118765432100002";

    /// <summary>The instant the templates' timestamps are written around (2026-01-01T10:00:00Z).</summary>
    public const long TemplateEpoch = 1767261600;

    /// <summary>
    /// The last status of the templates' outbound message (messages-status-*): it is made "now", so a run's statuses
    /// keep their order (sent, delivered, read, …) and end at the present, not minutes in the future.
    /// </summary>
    public const long TemplateStoryEnd = 1767261709;

    /// <summary>The outbound message every status of the templates tells about, and replies refer to.</summary>
    public const string TemplateOutboundWamid = "wamid.HBgMNDQ3NzAwOTAwNDU2FQIAERgSQkFEQzBGRkVFMDAwMDAwMQA=";

    private readonly Dictionary<string, string> _wamids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _wacids = new(StringComparer.Ordinal);
    private readonly HashSet<string> _sentInbound = new(StringComparer.Ordinal);

    /// <summary>The statuses already sent for the current outbound message.</summary>
    private readonly HashSet<string> _outboundStatuses = new(StringComparer.Ordinal);
    private readonly long _timeShift;
    private readonly long _now;

    public TriggerRun(string wabaId, string phoneNumberId, TimeProvider timeProvider)
    {
        WabaId = wabaId;
        PhoneNumberId = phoneNumberId;
        _now = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        _timeShift = _now - TemplateStoryEnd;
    }

    public string WabaId { get; }

    public string PhoneNumberId { get; }

    /// <summary>The wamid this run uses in place of a template's wamid, made on first use.</summary>
    public string WamidFor(string templateWamid)
    {
        if (!_wamids.TryGetValue(templateWamid, out var wamid))
        {
            wamid = MetaIds.NewWamid();
            _wamids[templateWamid] = wamid;
        }

        return wamid;
    }

    /// <summary>The call id this run uses in place of a template's call id (<c>wacid.</c>), made on first use.</summary>
    public string WacidFor(string templateWacid)
    {
        if (!_wacids.TryGetValue(templateWacid, out var wacid))
        {
            wacid = MetaIds.NewWacid();
            _wacids[templateWacid] = wacid;
        }

        return wacid;
    }

    public byte[] Render(NotificationTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        StartNewOutboundMessageIfRepeated(StatusesIn(template.Bytes));
        var source = template.Bytes;
        var output = new ArrayBufferWriter<byte>(source.Length + 256);
        var reader = new Utf8JsonReader(source, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var containers = new Stack<(bool IsArray, string? Name)>();
        string? property = null;
        var copied = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    property = reader.GetString();
                    continue;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    containers.Push((reader.TokenType == JsonTokenType.StartArray, InArray(containers) ? null : property));
                    property = null;
                    continue;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    containers.Pop();
                    property = null;
                    continue;
                case JsonTokenType.String or JsonTokenType.Number:
                    var isString = reader.TokenType == JsonTokenType.String;
                    var raw = Encoding.UTF8.GetString(reader.ValueSpan);
                    var replacement = Replace(raw, property, IsItemId(containers, property, "messages"), IsItemId(containers, property, "statuses"));
                    if (replacement is not null)
                    {
                        // A string token starts at its opening quote; the raw value follows it.
                        var start = (int)reader.TokenStartIndex + (isString ? 1 : 0);
                        output.Write(source.AsSpan(copied, start - copied));
                        output.Write(Encoding.UTF8.GetBytes(replacement));
                        copied = start + reader.ValueSpan.Length;
                    }

                    break;
            }

            property = null;
        }

        output.Write(source.AsSpan(copied));
        return output.WrittenSpan.ToArray();
    }

    private string? Replace(string raw, string? property, bool inboundMessageId, bool statusId)
    {
        if (raw == TemplateWabaId)
        {
            return WabaId;
        }

        if (raw == TemplatePhoneNumberId)
        {
            return PhoneNumberId;
        }

        if (raw.StartsWith("wamid.", StringComparison.Ordinal))
        {
            // Every status of a run is about the run's one outbound message, so its statuses form one timeline.
            return inboundMessageId ? InboundWamid(raw) : WamidFor(statusId ? TemplateOutboundWamid : raw);
        }

        if (raw.StartsWith("wacid.", StringComparison.Ordinal))
        {
            // A call id: every call event of the run and a voicemail left on that call share it.
            return WacidFor(raw);
        }

        if (property is not null && IsTimestamp(property) && long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && seconds is >= 1_000_000_000 and < 10_000_000_000)
        {
            // When something happened is never later than now (stories that run hours past the statuses' end are
            // brought back to now); other dates, such as a conversation's expiration, keep their distance.
            var shifted = seconds + _timeShift;
            return (property is "timestamp" or "time" ? Math.Min(shifted, _now) : shifted).ToString(CultureInfo.InvariantCulture);
        }

        return null;
    }

    /// <summary>
    /// A status that the current outbound message already had (a second <c>delivered</c>, or one sent again with
    /// <c>--count</c>) starts another outbound message: Meta sends each status of a message once, and the gateway would
    /// drop the repeat as a duplicate.
    /// </summary>
    private void StartNewOutboundMessageIfRepeated(IReadOnlyList<string> statuses)
    {
        if (statuses.Any(_outboundStatuses.Contains))
        {
            _wamids[TemplateOutboundWamid] = MetaIds.NewWamid();
            _outboundStatuses.Clear();
        }

        _outboundStatuses.UnionWith(statuses);
    }

    /// <summary>The <c>status</c> values of a template's <c>statuses</c> items.</summary>
    private static List<string> StatusesIn(byte[] template)
    {
        using var document = JsonDocument.Parse(template, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var statuses = new List<string>();
        if (!document.RootElement.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            return statuses;
        }

        foreach (var entry in entries.EnumerateArray())
        {
            if (!entry.TryGetProperty("changes", out var changes) || changes.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var change in changes.EnumerateArray())
            {
                if (change.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Object
                    && value.TryGetProperty("statuses", out var items) && items.ValueKind == JsonValueKind.Array)
                {
                    statuses.AddRange(items.EnumerateArray()
                        .Select(i => i.ValueKind == JsonValueKind.Object && i.TryGetProperty("status", out var st) ? st.GetString() : null)
                        .OfType<string>());
                }
            }
        }

        return statuses;
    }

    /// <summary>
    /// The id of an inbound message. The first time a template's message is sent it takes the run's wamid (which a
    /// reply, edit or reaction of the run may already refer to); each later send is a new message with a new wamid,
    /// as Meta never sends two messages with one id, and later references follow it.
    /// </summary>
    private string InboundWamid(string templateWamid)
    {
        if (_sentInbound.Add(templateWamid))
        {
            return WamidFor(templateWamid);
        }

        var fresh = MetaIds.NewWamid();
        _wamids[templateWamid] = fresh;
        return fresh;
    }

    private static bool InArray(Stack<(bool IsArray, string? Name)> containers) => containers.Count > 0 && containers.Peek().IsArray;

    /// <summary>
    /// The <c>id</c> of an object directly inside an array named <paramref name="array"/>: a message's own wamid
    /// (<c>messages</c>), or the wamid a status is about (<c>statuses</c>).
    /// </summary>
    private static bool IsItemId(Stack<(bool IsArray, string? Name)> containers, string? property, string array)
    {
        // A stack enumerates from the top: the object holding the property, then its parent.
        return property == "id"
            && containers.Count >= 2
            && !containers.Peek().IsArray
            && containers.ElementAt(1) is { IsArray: true } parent && parent.Name == array;
    }

    private static bool IsTimestamp(string property) =>
        property is "timestamp" or "time" or "disable_date"
        || property.EndsWith("_timestamp", StringComparison.Ordinal)
        || property.EndsWith("_time", StringComparison.Ordinal);
}
