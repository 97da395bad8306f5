using Microsoft.Extensions.Logging;

namespace WabaHooks.Nats;

/// <summary>NATS destination log lines: they name the destination, never its URL (which may hold credentials).</summary>
internal static partial class NatsLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Destination {Destination}: NATS could not be reached at start ({Error}); the stream is not checked, and events wait in the store until it answers")]
    public static partial void NotChecked(ILogger logger, string destination, string error);
}
