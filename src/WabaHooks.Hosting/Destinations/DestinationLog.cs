using Microsoft.Extensions.Logging;

namespace WabaHooks.Hosting.Destinations;

/// <summary>
/// Destination log lines. They name the destination, never its URL (which may carry credentials) or secret, and never
/// a body.
/// </summary>
internal static partial class DestinationLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Destination {Destination}: {Count} event(s) delivered (attempt {Attempt}), {Answer} in {Milliseconds} ms")]
    public static partial void Delivered(ILogger logger, string destination, int count, int attempt, string answer, long milliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Destination {Destination}: {Count} event(s) failed (attempt {Attempt}): {Error}; next attempt at {RetryAt:O}")]
    public static partial void WillRetry(ILogger logger, string destination, int count, int attempt, string error, DateTimeOffset retryAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Destination {Destination}: event {EventId} dead-lettered after attempt {Attempt}: {Error}")]
    public static partial void DeadLettered(ILogger logger, string destination, string eventId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Destination {Destination} paused after failing repeatedly (last: {Error}); probing again at {Until:O}")]
    public static partial void Paused(ILogger logger, string destination, string error, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Information, Message = "Destination {Destination} answered again; resumed")]
    public static partial void Resumed(ILogger logger, string destination);

    [LoggerMessage(Level = LogLevel.Error, Message = "Destination {Destination}: could not claim work ({Error}); trying again")]
    public static partial void ClaimFailed(ILogger logger, string destination, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Sink}: could not record the attempt on event {EventId} ({Error}); it is sent again when its lease runs out")]
    public static partial void RecordFailed(ILogger logger, string sink, string eventId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown: {Count} requests to destinations still running after the grace period were cancelled")]
    public static partial void ShutdownAbandoned(ILogger logger, int count);
}
