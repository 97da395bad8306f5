using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace EchoBot;

/// <summary>Sends messages through the Graph API messages endpoint: <c>POST /{version}/{phone_number_id}/messages</c>.</summary>
public sealed class WhatsAppMessages(HttpClient http, EchoBotSettings settings)
{
    /// <summary>Sends <paramref name="body"/> to <paramref name="to"/> as a reply to the message <paramref name="replyTo"/>.</summary>
    /// <exception cref="HttpRequestException">The Graph API did not accept it; the handler fails and WabaHooks retries.</exception>
    public async Task SendTextReplyAsync(string phoneNumberId, string to, string body, string replyTo, CancellationToken cancellationToken)
    {
        var message = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["recipient_type"] = "individual",
            ["to"] = to,
            ["type"] = "text",
            ["text"] = new JsonObject { ["body"] = body },
            ["context"] = new JsonObject { ["message_id"] = replyTo },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{settings.GraphVersion}/{Uri.EscapeDataString(phoneNumberId)}/messages")
        {
            Content = JsonContent.Create(message),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.AccessToken);

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // The status only: Graph error bodies can echo the request, and the request holds the user's text.
            throw new HttpRequestException($"The Graph API answered {(int)response.StatusCode} to a send.", null, response.StatusCode);
        }
    }
}
