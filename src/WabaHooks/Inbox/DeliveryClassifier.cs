using System.Text.Json;
using System.Text.Unicode;

namespace WabaHooks.Inbox;

/// <summary>
/// Finds, in one forward pass with no allocation, whether a body is well-formed JSON whose top-level <c>object</c> is
/// <c>whatsapp_business_account</c>, and whether all its text is valid Unicode. Its cost is of the order of the HMAC
/// over the same bytes.
/// </summary>
/// <remarks>
/// Total: it returns flags for any byte sequence and never throws, because it runs on the receive path after the
/// signature is verified, where an exception would answer 500 and make Meta retry a body that can never change.
/// </remarks>
public static class DeliveryClassifier
{
    /// <summary>The <c>object</c> value of every WhatsApp Business Platform notification.</summary>
    public const string WhatsAppBusinessAccount = "whatsapp_business_account";

    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 256 };

    /// <summary>Classifies a raw body.</summary>
    /// <returns>
    /// <see cref="DeliveryFlags.None"/> for a clean notification; otherwise the marks that apply, which may combine
    /// (<see cref="DeliveryFlags.InvalidUnicode"/> with any of the others).
    /// </returns>
    public static DeliveryFlags Classify(ReadOnlySpan<byte> body)
    {
        // Utf8JsonReader checks the JSON grammar but not the UTF-8 inside strings, so the bytes are checked here in one
        // vectorized pass. Escapes are checked below, token by token: only escaped tokens can hold a lone surrogate.
        var flags = Utf8.IsValid(body) ? DeliveryFlags.None : DeliveryFlags.InvalidUnicode;
        var reader = new Utf8JsonReader(body, ReaderOptions);
        var isObject = false;
        var isWhatsApp = false;
        var atObjectValue = false;
        try
        {
            if (!reader.Read())
            {
                return flags | DeliveryFlags.NotJson;
            }

            isObject = reader.TokenType == JsonTokenType.StartObject;
            do
            {
                var token = reader.TokenType;
                if (token is not (JsonTokenType.PropertyName or JsonTokenType.String))
                {
                    atObjectValue = false;
                    continue;
                }

                // The reader has already checked each escape's syntax; what it lets through is a \uD800–\uDFFF that is
                // not half of a pair, which ValueTextEquals and GetString throw InvalidOperationException on.
                var loneSurrogate = reader.ValueIsEscaped && HasLoneSurrogateEscape(reader.ValueSpan);
                if (loneSurrogate)
                {
                    flags |= DeliveryFlags.InvalidUnicode;
                }

                if (atObjectValue)
                {
                    // The last "object" wins, as it does for the parser that reads the delivery later.
                    isWhatsApp = token == JsonTokenType.String && !loneSurrogate && reader.ValueTextEquals(WhatsAppBusinessAccount);
                    atObjectValue = false;
                }
                else
                {
                    atObjectValue = isObject && token == JsonTokenType.PropertyName && reader.CurrentDepth == 1
                        && !loneSurrogate && reader.ValueTextEquals("object"u8);
                }
            }
            while (reader.Read());
        }
        catch (JsonException)
        {
            return flags | DeliveryFlags.NotJson;
        }
        catch (InvalidOperationException)
        {
            // Not expected after the surrogate check; kept so that a reader case missed here still stores the body
            // flagged instead of answering 500.
            return flags | DeliveryFlags.NotJson;
        }

        return isWhatsApp ? flags : flags | DeliveryFlags.UnexpectedObject;
    }

    /// <summary>
    /// Whether the raw (still escaped) bytes of a string hold a <c>\u</c> escape of a surrogate that is not part of a
    /// high-then-low pair of escapes.
    /// </summary>
    /// <param name="raw">A string or property name as it is in the body, between its quotes, with valid escapes.</param>
    internal static bool HasLoneSurrogateEscape(ReadOnlySpan<byte> raw)
    {
        var i = raw.IndexOf((byte)'\\');
        while (i >= 0)
        {
            // The bounds checks cannot fail on what the reader accepted; they keep a missed case from throwing.
            if (i + 1 >= raw.Length)
            {
                return false;
            }

            if (raw[i + 1] != (byte)'u')
            {
                i = Next(raw, i + 2);
                continue;
            }

            if (i + 6 > raw.Length)
            {
                return true;
            }

            var unit = Hex4(raw.Slice(i + 2, 4));
            if (char.IsLowSurrogate(unit))
            {
                return true;
            }

            if (!char.IsHighSurrogate(unit))
            {
                i = Next(raw, i + 6);
                continue;
            }

            var rest = raw[(i + 6)..];
            if (rest.Length < 6 || rest[0] != (byte)'\\' || rest[1] != (byte)'u' || !char.IsLowSurrogate(Hex4(rest.Slice(2, 4))))
            {
                return true;
            }

            i = Next(raw, i + 12);
        }

        return false;

        static int Next(ReadOnlySpan<byte> raw, int from)
        {
            if (from >= raw.Length)
            {
                return -1;
            }

            var found = raw[from..].IndexOf((byte)'\\');
            return found < 0 ? -1 : from + found;
        }
    }

    private static char Hex4(ReadOnlySpan<byte> hex)
    {
        var value = 0;
        foreach (var b in hex)
        {
            // The reader accepts only hex digits after \u, so anything else cannot occur; it would give a wrong unit,
            // never an exception.
            var digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => 0,
            };
            value = (value << 4) | digit;
        }

        return (char)value;
    }
}
