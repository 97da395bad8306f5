namespace WabaHooks.Inbox;

/// <summary>How the group-commit writer batches appends.</summary>
public sealed class GroupCommitOptions
{
    /// <summary>Most deliveries committed in one transaction. Default 512.</summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>Most body bytes committed in one transaction; a single larger delivery still goes alone. Default 16 MiB.</summary>
    public long MaxBatchBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>Most appends waiting for the writer; past it, callers wait for room (bounded by their own timeout). Default 8192.</summary>
    public int QueueCapacity { get; set; } = 8192;
}
