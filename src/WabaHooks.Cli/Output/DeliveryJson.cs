using WabaHooks.Inbox;

namespace WabaHooks.Cli.Output;

/// <summary>One delivery in <c>deliveries list --json</c>.</summary>
internal sealed record DeliveryJson(long Id, DateTimeOffset ReceivedAt, string AppId, int Length, IReadOnlyList<string> Flags)
{
    public static DeliveryJson From(DeliverySummary summary) =>
        new(summary.Id, summary.ReceivedAt, summary.AppId, summary.Length, FlagNames(summary.Flags));

    public static IReadOnlyList<string> FlagNames(DeliveryFlags flags)
    {
        var names = new List<string>(2);
        if (flags.HasFlag(DeliveryFlags.NotJson))
        {
            names.Add("not-json");
        }

        if (flags.HasFlag(DeliveryFlags.UnexpectedObject))
        {
            names.Add("unexpected-object");
        }

        return names;
    }
}
