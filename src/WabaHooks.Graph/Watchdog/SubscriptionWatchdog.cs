using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Http;
using WabaHooks.Graph;
using WabaHooks.Hosting.Diagnostics;
using WabaHooks.Storage;

namespace WabaHooks.Graph.Watchdog;

/// <summary>
/// One round of checks (<see cref="CheckAsync"/>) and the report built from the last round (<see cref="Report"/>).
/// The loop and the logging live in <see cref="WatchdogService"/>, so tests drive rounds themselves with a fake clock.
/// </summary>
/// <remarks>
/// Last-seen times come from the event store rather than from an in-memory map fed by the processor: the store
/// survives restarts (a gateway restarted during a silence still knows when the last event came), it also sees events
/// that another process sharing the store processed, and the processor needs no hook. Each round reads only the events
/// stored since the previous round, so the cost stays small.
/// </remarks>
internal sealed class SubscriptionWatchdog
{
    /// <summary>Pages of events read per WABA per round; the first round of a busy WABA reads at most this many pages.</summary>
    private const int PageSize = 500;
    private const int MaxPagesPerRound = 10;

    private readonly GraphClient _graph;
    private readonly IEventStore _events;
    private readonly TimeProvider _time;
    private readonly string? _appId;
    private readonly TimeSpan _silenceWarning;
    private readonly DateTimeOffset _startedAt;
    private readonly List<WabaWatchState> _wabas;
    private readonly Lock _lock = new();
    private readonly WabaHooksMetrics? _metrics;

    public SubscriptionWatchdog(GraphClient graph, IEventStore events, WatchdogOptions options, TimeProvider time, WabaHooksMetrics? metrics = null)
    {
        _graph = graph;
        _events = events;
        _time = time;
        _appId = string.IsNullOrWhiteSpace(options.AppId) ? null : options.AppId;
        _silenceWarning = options.SilenceWarning;
        _startedAt = time.GetUtcNow();
        _wabas = [.. options.WabaIds.Distinct(StringComparer.Ordinal).Select(id => new WabaWatchState(id))];
        _metrics = metrics;
        metrics?.Meter.CreateObservableGauge(
            "wabahooks.watchdog.silence", Silences, "s", "Per watched WABA, how long since its latest stored event (since start-up when it has had none), as of the watchdog's latest read.");
    }

    /// <summary>Asks Graph about each WABA and reads the events stored since the last round. Never throws but for cancellation.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        foreach (var waba in _wabas)
        {
            var (subscribed, error) = await AskGraphAsync(waba.WabaId, cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                waba.CheckedAt = _time.GetUtcNow();
                waba.CheckError = error;
                if (error is null)
                {
                    waba.Subscribed = subscribed;
                }

                _metrics?.WatchdogChecked(waba.WabaId, SubscriptionState(waba));
            }

            await ReadActivityAsync(waba, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The state after the last round, with silence measured against now.</summary>
    public WatchdogReport Report()
    {
        var now = _time.GetUtcNow();
        var warnings = new List<string>();
        var wabas = new List<WabaWatchReport>();
        lock (_lock)
        {
            foreach (var waba in _wabas)
            {
                AddWarnings(waba, now, warnings);
                wabas.Add(new WabaWatchReport(
                    waba.WabaId,
                    SubscriptionState(waba),
                    waba.CheckedAt,
                    waba.CheckError,
                    waba.LastEventAt,
                    [.. waba.PhoneNumbers.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new PhoneNumberWatchReport(p.Key, p.Value))]));
            }
        }

        return new WatchdogReport(warnings.Count == 0 ? "ok" : "warning", warnings, wabas);
    }

    private IEnumerable<Measurement<double>> Silences()
    {
        var now = _time.GetUtcNow();
        var measurements = new List<Measurement<double>>(_wabas.Count);
        lock (_lock)
        {
            foreach (var waba in _wabas)
            {
                var since = waba.LastEventAt ?? _startedAt;
                measurements.Add(new Measurement<double>(Math.Max(0, (now - since).TotalSeconds), new KeyValuePair<string, object?>(WabaHooksMetrics.Attributes.WabaId, waba.WabaId)));
            }
        }

        return measurements;
    }

    private async Task<(bool Subscribed, string? Error)> AskGraphAsync(string wabaId, CancellationToken cancellationToken)
    {
        try
        {
            var apps = await _graph.GetWabaSubscriptionsAsync(wabaId, cancellationToken).ConfigureAwait(false);
            var subscribed = _appId is null
                ? apps.Count > 0
                : apps.Any(a => string.Equals(a.WhatsAppBusinessApiData?.Id, _appId, StringComparison.Ordinal));
            return (subscribed, null);
        }
        catch (GraphApiException ex)
        {
            // Meta's message and codes say what to fix (an expired token, a missing permission); the client redacts tokens.
            var codes = string.Join(", ", new[]
            {
                $"HTTP {((int)ex.StatusCode).ToString(CultureInfo.InvariantCulture)}",
                ex.Code is { } code ? $"code {code.ToString(CultureInfo.InvariantCulture)}" : null,
                ex.ErrorSubcode is { } sub ? $"subcode {sub.ToString(CultureInfo.InvariantCulture)}" : null,
                ex.FbtraceId is { } trace ? $"fbtrace_id {trace}" : null,
            }.OfType<string>());
            return (false, $"{ex.Message} ({codes})");
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or InvalidOperationException)
        {
            return (false, ex.Message);
        }
    }

    private async Task ReadActivityAsync(WabaWatchState waba, CancellationToken cancellationToken)
    {
        DateTimeOffset? since;
        lock (_lock)
        {
            since = waba.ReadUpTo;
        }

        var readUpTo = _time.GetUtcNow();
        try
        {
            long? before = null;
            for (var page = 0; page < MaxPagesPerRound; page++)
            {
                var events = await _events.ListEventsAsync(
                    new EventQuery { WabaId = waba.WabaId, Since = since, BeforeSequence = before, Limit = PageSize },
                    cancellationToken).ConfigureAwait(false);
                lock (_lock)
                {
                    foreach (var stored in events)
                    {
                        waba.Saw(stored.PhoneNumberId, stored.StoredAt);
                    }
                }

                if (events.Count < PageSize)
                {
                    break;
                }

                before = events[^1].Sequence;
            }

            lock (_lock)
            {
                // Since is inclusive, so an event stored in the same instant as this read is read again next round, not lost.
                waba.ReadUpTo = readUpTo;
                waba.ActivityError = null;
            }
        }
        catch (Exception ex) when (ex is StoreUnavailableException or IOException or InvalidOperationException)
        {
            lock (_lock)
            {
                waba.ActivityError = ex.Message;
            }
        }
    }

    private void AddWarnings(WabaWatchState waba, DateTimeOffset now, List<string> warnings)
    {
        if (waba.CheckError is not null)
        {
            warnings.Add($"WABA {waba.WabaId}: cannot check subscribed_apps: {waba.CheckError}");
        }
        else if (waba.Subscribed == false)
        {
            warnings.Add(_appId is null
                ? $"WABA {waba.WabaId}: no app is subscribed, so Meta sends it no webhooks. Subscribe again: wabahooks subscribe waba --waba-id {waba.WabaId}"
                : $"WABA {waba.WabaId}: app {_appId} is no longer subscribed, so Meta sends it no webhooks. Subscribe again: wabahooks subscribe waba --waba-id {waba.WabaId}");
        }

        if (waba.ActivityError is not null)
        {
            warnings.Add($"WABA {waba.WabaId}: cannot read its last events from the store: {waba.ActivityError}");
        }

        if (_silenceWarning <= TimeSpan.Zero)
        {
            return;
        }

        // The texts name the threshold, not the time elapsed, so a lasting silence reads the same each round and is
        // logged once. Before any event, silence counts from the watchdog's start, so a fresh gateway does not warn at once.
        var since = waba.LastEventAt ?? _startedAt;
        if (now - since >= _silenceWarning)
        {
            warnings.Add(waba.LastEventAt is null
                ? $"WABA {waba.WabaId}: no event for more than {Ago(_silenceWarning)}, none since the watchdog started at {Stamp(since)}."
                : $"WABA {waba.WabaId}: no event for more than {Ago(_silenceWarning)} (last at {Stamp(since)}).");
        }

        foreach (var (phoneNumberId, last) in waba.PhoneNumbers.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (now - last >= _silenceWarning)
            {
                warnings.Add($"Phone number {phoneNumberId} (WABA {waba.WabaId}): no event for more than {Ago(_silenceWarning)} (last at {Stamp(last)}).");
            }
        }
    }

    private static string SubscriptionState(WabaWatchState waba) => waba switch
    {
        { CheckError: not null } => "check_failed",
        { Subscribed: true } => "subscribed",
        { Subscribed: false } => "not_subscribed",
        _ => "unknown",
    };

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Ago(TimeSpan span) => span.TotalHours >= 1
        ? $"{((int)span.TotalHours).ToString(CultureInfo.InvariantCulture)} h {span.Minutes.ToString(CultureInfo.InvariantCulture)} min"
        : span.TotalMinutes >= 1
            ? $"{((int)span.TotalMinutes).ToString(CultureInfo.InvariantCulture)} min"
            : $"{((int)span.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s";
}
