namespace WabaHooks.Cli.Configuration;

/// <summary>How <c>serve</c> writes its log to standard output.</summary>
internal enum LogFormat
{
    /// <summary>One readable line per entry, with a UTC timestamp.</summary>
    Simple,

    /// <summary>
    /// One JSON object per line, for log shippers: the message, its fields (delivery and event ids, destination names)
    /// and the trace and span ids. The start-up banner goes to standard error, so standard output is JSON only.
    /// </summary>
    Json,
}
