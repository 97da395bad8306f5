namespace WabaHooks.Processing;

/// <summary>
/// How the reason of a delivery that failed processing begins, so listings can tell a delivery WabaHooks could not
/// process (worth reprocessing after an upgrade) from a body that is not a notification at all.
/// </summary>
public static class ProcessingFailures
{
    /// <summary>Splitting or routing the delivery threw.</summary>
    public const string SplitFailed = "split-failed";

    /// <summary>The store refused the delivery's events, while it accepted everything else.</summary>
    public const string StoreRefused = "store-refused";
}
