using Microsoft.Extensions.Logging;

namespace WabaHooks.Hosting.Diagnostics;

/// <summary>
/// Keeps a failure that repeats from flooding the log. The first occurrence of a failure (by key) in an interval is
/// logged in full, stack trace and all, by the caller; the rest of that interval's occurrences are only counted, and
/// when the interval ends one line says how many there were. A store outage under load then writes two lines per
/// interval instead of a stack trace per request (the probe behind issue 10 saw 40 MB of log in 15 s).
/// </summary>
/// <remarks>
/// <para>
/// Use: <c>if (failures.ShouldLog(key)) { LogTheFailure(logger, exception, …); }</c>. The key names the failure, not
/// the occurrence, in the words an operator will read in the summary line: <c>"Delivery not stored, answered 503:
/// the inbox is unavailable"</c>, never a request id. Thread-safe; nothing is allocated for an occurrence that is only
/// counted.
/// </para>
/// <para>
/// At most <c>maxKeys</c> failures are tracked in one interval, so keys built from request data cannot grow memory
/// without bound; past that, other failures share one key, <see cref="OtherFailuresKey"/>. Disposing writes the summary
/// of every open interval, so no count is lost at shutdown.
/// </para>
/// </remarks>
internal sealed partial class RepeatedFailureLog : IDisposable
{
    /// <summary>How long a failure is counted after it was logged in full, unless told otherwise: 10 seconds.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    /// <summary>How many distinct failures are tracked at once, unless told otherwise.</summary>
    public const int DefaultMaxKeys = 256;

    /// <summary>The key shared by failures beyond the first <c>maxKeys</c> in one interval.</summary>
    public const string OtherFailuresKey = "Other failures (too many kinds to count one by one)";

    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _interval;
    private readonly int _maxKeys;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>Creates the log guard.</summary>
    /// <param name="logger">Where the summary lines go; the full lines are the caller's.</param>
    /// <param name="timeProvider">The clock and timers of the intervals.</param>
    /// <param name="interval">How long occurrences are counted after one is logged in full; <see cref="DefaultInterval"/> when null.</param>
    /// <param name="maxKeys">How many distinct failures are tracked at once.</param>
    public RepeatedFailureLog(ILogger logger, TimeProvider timeProvider, TimeSpan? interval = null, int maxKeys = DefaultMaxKeys)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval ?? DefaultInterval, TimeSpan.Zero, nameof(interval));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxKeys, 1);
        _logger = logger;
        _timeProvider = timeProvider;
        _interval = interval ?? DefaultInterval;
        _maxKeys = maxKeys;
    }

    /// <summary>Counts one occurrence of a failure and says whether the caller should log it in full.</summary>
    /// <param name="key">Names the failure; occurrences with the same key are counted together.</param>
    /// <param name="level">The level of the summary line, usually the level of the full line.</param>
    /// <returns>
    /// <see langword="true"/> for the first occurrence of <paramref name="key"/> in an interval: log it with its
    /// exception. <see langword="false"/>: counted, and reported in the summary line when the interval ends.
    /// </returns>
    public bool ShouldLog(string key, LogLevel level = LogLevel.Error)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            if (_disposed)
            {
                // Only during shutdown; nothing will write the summary any more, so each occurrence is logged.
                return true;
            }

            if (!_windows.ContainsKey(key) && _windows.Count >= _maxKeys)
            {
                key = OtherFailuresKey;
            }

            if (_windows.TryGetValue(key, out var open))
            {
                open.Repeats++;
                return false;
            }

            var window = new Window(key, level);
            _windows.Add(key, window);
            window.Timer = CreateTimer(window);
            return true;
        }
    }

    /// <summary>Writes the summary of every open interval and stops the timers.</summary>
    public void Dispose()
    {
        List<Window> open;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            open = [.. _windows.Values];
            _windows.Clear();
        }

        foreach (var window in open)
        {
            window.Timer?.Dispose();
            Summarize(window);
        }
    }

    private ITimer CreateTimer(Window window)
    {
        // The timer would otherwise capture the execution context of the request that opened the interval (its
        // activity, its logging scopes) and hold it until the interval ends.
        var suppress = !ExecutionContext.IsFlowSuppressed();
        var flow = suppress ? ExecutionContext.SuppressFlow() : default;
        try
        {
            return _timeProvider.CreateTimer(static state => ((Close)state!).Run(), new Close(this, window), _interval, Timeout.InfiniteTimeSpan);
        }
        finally
        {
            if (suppress)
            {
                flow.Undo();
            }
        }
    }

    private void End(Window window)
    {
        lock (_lock)
        {
            // Dispose may have ended it first; the same key may since have opened a new window, which is not this one.
            if (!_windows.TryGetValue(window.Key, out var current) || !ReferenceEquals(current, window))
            {
                return;
            }

            _windows.Remove(window.Key);
        }

        window.Timer?.Dispose();
        Summarize(window);
    }

    private void Summarize(Window window)
    {
        long repeats;
        lock (_lock)
        {
            repeats = window.Repeats;
        }

        if (repeats > 0)
        {
            LogRepeats(_logger, window.Level, repeats, _interval.TotalSeconds, window.Key);
        }
    }

    [LoggerMessage(Message = "{Repeats} more within {IntervalSeconds} s of the one logged, not logged one by one: {Failure}")]
    private static partial void LogRepeats(ILogger logger, LogLevel level, long repeats, double intervalSeconds, string failure);

    private sealed class Window(string key, LogLevel level)
    {
        public string Key { get; } = key;

        public LogLevel Level { get; } = level;

        public long Repeats { get; set; }

        public ITimer? Timer { get; set; }
    }

    private sealed class Close(RepeatedFailureLog owner, Window window)
    {
        public void Run() => owner.End(window);
    }
}
