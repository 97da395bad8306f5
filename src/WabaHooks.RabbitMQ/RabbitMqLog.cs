using Microsoft.Extensions.Logging;

namespace WabaHooks.RabbitMQ;

/// <summary>RabbitMQ destination log lines: they name the destination, never its URL (which may hold a password).</summary>
internal static partial class RabbitMqLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Destination {Destination}: RabbitMQ could not be reached at start ({Error}); the exchange is not checked, and events wait in the store until it answers")]
    public static partial void NotChecked(ILogger logger, string destination, string error);
}
