using WabaHooks.Inbox;
using WabaHooks.Storage;

namespace WabaHooks.Cli.Output;

/// <summary>
/// One delivery in <c>deliveries list --json</c>, with what the processor made of it. Until the processor has
/// committed it, <see cref="Processed"/> is false and the counts are null: not zero, which would claim it held nothing.
/// </summary>
internal sealed record DeliveryJson(
    long Id,
    DateTimeOffset ReceivedAt,
    string AppId,
    int Length,
    IReadOnlyList<string> Flags,
    bool Processed,
    int? Events,
    int? Duplicates,
    string? ParseError)
{
    public static DeliveryJson From(DeliverySummary summary, DeliveryOutcome? outcome) =>
        new(summary.Id, summary.ReceivedAt, summary.AppId, summary.Length, FlagNames(summary.Flags),
            outcome is not null, outcome?.Events, outcome?.Duplicates, outcome?.ParseError);

    public static IReadOnlyList<string> FlagNames(DeliveryFlags flags)
    {
        var names = new List<string>(3);
        if (flags.HasFlag(DeliveryFlags.NotJson))
        {
            names.Add("not-json");
        }

        if (flags.HasFlag(DeliveryFlags.UnexpectedObject))
        {
            names.Add("unexpected-object");
        }

        if (flags.HasFlag(DeliveryFlags.InvalidUnicode))
        {
            names.Add("invalid-unicode");
        }

        if (flags.HasFlag(DeliveryFlags.Test))
        {
            names.Add("test");
        }

        return names;
    }
}
