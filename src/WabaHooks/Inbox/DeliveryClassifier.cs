using System.Text.Json;

namespace WabaHooks.Inbox;

/// <summary>
/// Finds, in one forward pass with no allocation, whether a body is well-formed JSON whose top-level <c>object</c> is
/// <c>whatsapp_business_account</c>. Its cost is of the order of the HMAC over the same bytes.
/// </summary>
public static class DeliveryClassifier
{
    /// <summary>The <c>object</c> value of every WhatsApp Business Platform notification.</summary>
    public const string WhatsAppBusinessAccount = "whatsapp_business_account";

    /// <summary>Classifies a raw body.</summary>
    public static DeliveryFlags Classify(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 256 });
        var isWhatsApp = false;
        try
        {
            if (!reader.Read())
            {
                return DeliveryFlags.NotJson;
            }

            var isObject = reader.TokenType == JsonTokenType.StartObject;
            while (reader.Read())
            {
                if (isObject && reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName
                    && reader.ValueTextEquals("object"u8))
                {
                    reader.Read();
                    isWhatsApp = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(WhatsAppBusinessAccount);
                }
            }
        }
        catch (JsonException)
        {
            return DeliveryFlags.NotJson;
        }

        return isWhatsApp ? DeliveryFlags.None : DeliveryFlags.UnexpectedObject;
    }
}
