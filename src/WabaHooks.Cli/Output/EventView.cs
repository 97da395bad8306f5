using System.Globalization;
using System.Text;
using WabaHooks.Storage;

namespace WabaHooks.Cli.Output;

/// <summary>The text form of <c>events show</c>.</summary>
internal static class EventView
{
    public static void Write(TextWriter output, StoredEvent e, IReadOnlyList<SinkAttempt> attempts)
    {
        output.WriteLine($"Id:            {e.Id}");
        output.WriteLine($"Type:          {e.Type}");
        output.WriteLine($"Field:         {e.Field}");
        output.WriteLine($"WABA:          {e.WabaId}");
        output.WriteLine($"Phone number:  {e.PhoneNumberId ?? "-"}");
        output.WriteLine($"Occurred:      {Timestamps.Exact(e.OccurredAt)}");
        output.WriteLine($"Stored:        {Timestamps.Exact(e.StoredAt)}");
        output.WriteLine($"Delivery:      {e.DeliveryId.ToString(CultureInfo.InvariantCulture)} (item {e.Position.ToString(CultureInfo.InvariantCulture)})");
        output.WriteLine($"Sequence:      {e.Sequence.ToString(CultureInfo.InvariantCulture)}");
        if (e.IsTest)
        {
            output.WriteLine("Mark:          test (sent by wabahooks trigger or verify-endpoint; sinks get it only if they include test events)");
        }

        output.WriteLine();
        output.WriteLine(JsonIndenter.Indented(Encoding.UTF8.GetString(e.RawJson.Span)));
        if (attempts.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("Sink attempts:");
        var table = new TextTable("SINK", "#", "STARTED (UTC)", "MS", "RESULT", "ERROR");
        foreach (var a in attempts)
        {
            table.Add(
                a.Sink,
                a.Number.ToString(CultureInfo.InvariantCulture),
                Timestamps.Utc(a.StartedAt),
                a.Duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture),
                a.Succeeded ? "ok" : a.StatusCode is { } code ? $"failed ({code.ToString(CultureInfo.InvariantCulture)})" : "failed",
                a.Error ?? "");
        }

        table.Write(output);
    }
}
