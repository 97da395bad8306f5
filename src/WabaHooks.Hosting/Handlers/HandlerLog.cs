using Microsoft.Extensions.Logging;

namespace WabaHooks.Hosting.Handlers;

/// <summary>
/// Handler log lines. Failures carry the exception's type and message only — never the exception object, whose
/// data or stack could hold the payload body.
/// </summary>
internal static partial class HandlerLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Handler {Handler} failed on event {EventId} (attempt {Attempt}): {Error}; next attempt at {RetryAt:O}")]
    public static partial void WillRetry(ILogger logger, string handler, string eventId, int attempt, string error, DateTimeOffset retryAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handler {Handler} failed on event {EventId} (attempt {Attempt}): {Error}; dead-lettered")]
    public static partial void DeadLettered(ILogger logger, string handler, string eventId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handler {Handler} was interrupted by shutdown on event {EventId} (attempt {Attempt}); it is due again at once")]
    public static partial void Interrupted(ILogger logger, string handler, string eventId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handler {Handler}: could not record attempt {Attempt} of event {EventId} ({Error}); it is retried when its lease runs out")]
    public static partial void RecordFailed(ILogger logger, string handler, string eventId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handler {Handler}: could not claim work ({Error}); trying again")]
    public static partial void ClaimFailed(ILogger logger, string handler, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown: {Count} handler invocations still running after the grace period were cancelled")]
    public static partial void ShutdownAbandoned(ILogger logger, int count);
}
