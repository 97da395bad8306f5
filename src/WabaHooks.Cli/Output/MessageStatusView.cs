using System.Globalization;
using WabaHooks.Storage;

namespace WabaHooks.Cli.Output;

/// <summary>The text form of <c>messages status</c>.</summary>
internal static class MessageStatusView
{
    public static void Write(TextWriter output, MessageStatusHistory history)
    {
        output.WriteLine($"Wamid:      {history.Wamid}");
        output.WriteLine($"Current:    {history.Current}");
        output.WriteLine($"Recipient:  {history.RecipientId ?? "-"}");
        output.WriteLine($"Since:      {Timestamps.Exact(history.UpdatedAt)}");
        output.WriteLine();

        // APPLIED "no" is the point of the view: a status that arrived late (delivered after read) is kept but did not move it.
        var table = new TextTable("STATUS", "TIMESTAMP (UTC)", "RECIPIENT", "DELIVERY", "APPLIED", "EVENT");
        foreach (var t in history.Timeline)
        {
            table.Add(
                t.Status,
                Timestamps.Utc(t.Timestamp),
                t.RecipientId ?? "-",
                t.DeliveryId.ToString(CultureInfo.InvariantCulture),
                t.Applied ? "yes" : "no",
                t.EventId);
        }

        table.Write(output);
    }
}
