using System.Text;

namespace WabaHooks.Testing.Brokers;

/// <summary>Small deliveries for the broker tests, one event each, with ids the test knows in advance.</summary>
public static class BrokerDeliveries
{
    /// <summary>The WABA they come from.</summary>
    public const string WabaId = "109876543210001";

    /// <summary>The phone number they come to.</summary>
    public const string PhoneNumberId = "118765432100002";

    /// <summary>A delivery holding text message <paramref name="n"/> (event type <c>messages.text</c>).</summary>
    public static byte[] Text(int n, string run = "broker") => Encoding.UTF8.GetBytes(
        $$$"""{"object":"whatsapp_business_account","entry":[{"id":"{{{WabaId}}}","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550142233","phone_number_id":"{{{PhoneNumberId}}}"},"contacts":[{"profile":{"name":"Ana"},"wa_id":"447700900456"}],"messages":[{"from":"447700900456","id":"wamid.{{{run}}}-{{{n}}}","timestamp":"1767261601","type":"text","text":{"body":"hello {{{n}}}"}}]}}]}]}""");

    /// <summary>The event id of <see cref="Text"/> <paramref name="n"/>.</summary>
    public static string TextId(int n, string run = "broker") => $"msg:wamid.{run}-{n}";

    /// <summary>A delivery holding a <c>delivered</c> status of sent message <paramref name="n"/> (event type <c>statuses.delivered</c>).</summary>
    public static byte[] Status(int n, string run = "broker") => Encoding.UTF8.GetBytes(
        $$$"""{"object":"whatsapp_business_account","entry":[{"id":"{{{WabaId}}}","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550142233","phone_number_id":"{{{PhoneNumberId}}}"},"statuses":[{"id":"wamid.{{{run}}}-sent-{{{n}}}","status":"delivered","timestamp":"1767261702","recipient_id":"447700900456"}]}}]}]}""");
}
