namespace WabaHooks.Events;

/// <summary>Why a delivery could not be split.</summary>
public enum SplitFailure
{
    /// <summary>The delivery was split.</summary>
    None,

    /// <summary>The body is not well-formed JSON.</summary>
    NotJson,

    /// <summary>The body is JSON, but not an object whose <c>object</c> is <c>whatsapp_business_account</c>.</summary>
    UnexpectedObject,

    /// <summary>The envelope has the wrong shape: <c>entry</c> or <c>changes</c> is not an array of objects.</summary>
    MalformedEnvelope,
}

/// <summary>The events of one delivery, or why there are none. Splitting never throws for bad input.</summary>
public sealed class SplitResult
{
    private SplitResult(SplitFailure failure, string? error, IReadOnlyList<WabaEvent> events)
    {
        Failure = failure;
        Error = error;
        Events = events;
    }

    /// <summary>Whether the delivery was split.</summary>
    public bool IsSuccess => Failure == SplitFailure.None;

    /// <summary><see cref="SplitFailure.None"/>, or why the delivery could not be split.</summary>
    public SplitFailure Failure { get; }

    /// <summary>A one-line reason for a failure; <see langword="null"/> on success.</summary>
    public string? Error { get; }

    /// <summary>The events in delivery order; empty on failure.</summary>
    public IReadOnlyList<WabaEvent> Events { get; }

    internal static SplitResult Success(IReadOnlyList<WabaEvent> events) => new(SplitFailure.None, null, events);

    internal static SplitResult Failed(SplitFailure failure, string error) => new(failure, error, []);
}
