namespace WabaHooks.Hosting.Destinations;

/// <summary>
/// Pauses a destination after <see cref="DestinationCircuitOptions.FailureThreshold"/> failed requests in a row, then
/// lets one probe through when the pause ends: its success closes the circuit, its failure doubles the pause. Per
/// process: each instance judges the destination from its own requests.
/// </summary>
/// <remarks>
/// Not Polly's circuit breaker (Polly 8, as Microsoft.Extensions.Http.Resilience brings it), because the loop must ask
/// "how many may I claim now?" before it claims, and Polly answers only while executing:
/// <list type="bullet">
/// <item>Polly rejects a call as it runs (<c>BrokenCircuitException</c>), that is after the loop has claimed the work.
/// A claim leases stored work; a rejected item would sit under its lease (the timeout plus 30 s) or be recorded as a
/// failed attempt it never made, spending its retry schedule.</item>
/// <item>Its state can be read beforehand (<c>CircuitBreakerStateProvider</c>), but an open circuit turns half-open only
/// when a call is attempted after the break: read before claiming, it says <c>Open</c> for ever.</item>
/// <item>It trips on a failure ratio over a sampling window with a minimum throughput of at least 2, not on
/// <see cref="DestinationCircuitOptions.FailureThreshold"/> failures in a row (which may be 1).</item>
/// <item>It does not tell when the break ends, which <see cref="OpenUntil"/> gives the status board.</item>
/// </list>
/// </remarks>
internal sealed class CircuitBreaker(DestinationCircuitOptions options, TimeProvider time)
{
    private readonly Lock _lock = new();
    private int _failures;
    private TimeSpan _pause = options.BreakDuration;
    private DateTimeOffset? _openUntil;
    private bool _probing;

    /// <summary>Whether the circuit is open (paused, or waiting for its probe's answer).</summary>
    public bool IsOpen
    {
        get
        {
            lock (_lock)
            {
                return _openUntil is not null;
            }
        }
    }

    /// <summary><c>closed</c>, <c>open</c>, or <c>probing</c> while the one probe is out.</summary>
    public string State
    {
        get
        {
            lock (_lock)
            {
                return _openUntil is null ? "closed" : _probing ? "probing" : "open";
            }
        }
    }

    /// <summary>When the current pause ends; <see langword="null"/> when the circuit is closed.</summary>
    public DateTimeOffset? OpenUntil
    {
        get
        {
            lock (_lock)
            {
                return _openUntil;
            }
        }
    }

    /// <summary>
    /// How many requests may start now, out of <paramref name="free"/> free slots: all of them when closed; one probe
    /// when the pause is over and no probe is out; none otherwise. A probe must be reported with <see cref="Record"/>,
    /// or handed back with <see cref="CancelProbe"/> when there was nothing to send.
    /// </summary>
    public int Admit(int free, out bool probe)
    {
        lock (_lock)
        {
            probe = false;
            if (_openUntil is null)
            {
                return free;
            }

            if (_probing || time.GetUtcNow() < _openUntil || free == 0)
            {
                return 0;
            }

            _probing = true;
            probe = true;
            return 1;
        }
    }

    /// <summary>Hands back an admitted probe that was not sent, so the next due event can probe instead.</summary>
    public void CancelProbe()
    {
        lock (_lock)
        {
            _probing = false;
        }
    }

    /// <summary>Counts a finished request. Returns true when this call opened (or re-opened) the circuit.</summary>
    public bool Record(bool succeeded)
    {
        lock (_lock)
        {
            if (succeeded)
            {
                _failures = 0;
                _openUntil = null;
                _probing = false;
                _pause = options.BreakDuration;
                return false;
            }

            if (_openUntil is not null)
            {
                // A probe failed (or a request sent before the circuit opened came back failed): pause again, longer.
                if (!_probing)
                {
                    return false;
                }

                _probing = false;
                _pause = TimeSpan.FromTicks(Math.Min(_pause.Ticks * 2, options.MaxBreakDuration.Ticks));
                _openUntil = time.GetUtcNow() + _pause;
                return true;
            }

            if (++_failures < options.FailureThreshold)
            {
                return false;
            }

            _openUntil = time.GetUtcNow() + _pause;
            return true;
        }
    }
}
