using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace WabaHooks.Cli.Trigger;

/// <summary>
/// Turns templates into fresh notifications for one run of <c>trigger</c>: the WABA and phone-number ids of the run,
/// timestamps of now, and wamids that hang together — every status, reply context, reaction or edit refers to a
/// wamid of this run, the same one each time within the run, and never to one from another run.
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

    private readonly Dictionary<string, string> _wamids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _wacids = new(StringComparer.Ordinal);
    private readonly HashSet<string> _sentInbound = new(StringComparer.Ordinal);
    private readonly long _timeShift;

    public TriggerRun(string wabaId, string phoneNumberId, TimeProvider timeProvider)
    {
        WabaId = wabaId;
        PhoneNumberId = phoneNumberId;
        _timeShift = timeProvider.GetUtcNow().ToUnixTimeSeconds() - TemplateEpoch;
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
                    var replacement = Replace(raw, property, IsInboundMessageId(containers, property));
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

    private string? Replace(string raw, string? property, bool inboundMessageId)
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
            return inboundMessageId ? InboundWamid(raw) : WamidFor(raw);
        }

        if (raw.StartsWith("wacid.", StringComparison.Ordinal))
        {
            // A call id: every call event of the run and a voicemail left on that call share it.
            return WacidFor(raw);
        }

        if (property is not null && IsTimestamp(property) && long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && seconds is >= 1_000_000_000 and < 10_000_000_000)
        {
            return (seconds + _timeShift).ToString(CultureInfo.InvariantCulture);
        }

        return null;
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

    /// <summary>The <c>id</c> of an object directly inside a <c>messages</c> array: a message's own wamid.</summary>
    private static bool IsInboundMessageId(Stack<(bool IsArray, string? Name)> containers, string? property)
    {
        // A stack enumerates from the top: the object holding the property, then its parent.
        return property == "id"
            && containers.Count >= 2
            && !containers.Peek().IsArray
            && containers.ElementAt(1) is { IsArray: true, Name: "messages" };
    }

    private static bool IsTimestamp(string property) =>
        property is "timestamp" or "time" or "disable_date"
        || property.EndsWith("_timestamp", StringComparison.Ordinal)
        || property.EndsWith("_time", StringComparison.Ordinal);
}
