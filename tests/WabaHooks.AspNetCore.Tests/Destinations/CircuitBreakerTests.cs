using Microsoft.Extensions.Time.Testing;
using WabaHooks.Hosting.Destinations;

namespace WabaHooks.AspNetCore.Tests.Destinations;

public sealed class CircuitBreakerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly DestinationCircuitOptions _options = new() { FailureThreshold = 3, BreakDuration = TimeSpan.FromSeconds(30), MaxBreakDuration = TimeSpan.FromSeconds(100) };

    [Fact]
    public void A_closed_circuit_admits_every_free_slot_and_failures_below_the_threshold_keep_it_closed()
    {
        var breaker = new CircuitBreaker(_options, _time);
        Assert.False(breaker.Record(succeeded: false));
        Assert.False(breaker.Record(succeeded: false));

        Assert.Equal(8, breaker.Admit(8, out var probe));
        Assert.False(probe);
        Assert.False(breaker.IsOpen);
    }

    [Fact]
    public void A_success_resets_the_count_of_failures_in_a_row()
    {
        var breaker = new CircuitBreaker(_options, _time);
        breaker.Record(false);
        breaker.Record(false);
        breaker.Record(true);
        breaker.Record(false);
        Assert.False(breaker.Record(false));
        Assert.True(breaker.Record(false));
    }

    [Fact]
    public void The_threshold_opens_the_circuit_and_nothing_is_admitted_until_the_pause_ends_then_exactly_one_probe()
    {
        var breaker = new CircuitBreaker(_options, _time);
        breaker.Record(false);
        breaker.Record(false);
        Assert.True(breaker.Record(false));
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(30), breaker.OpenUntil);

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, breaker.Admit(8, out _));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, breaker.Admit(8, out var probe));
        Assert.True(probe);
        Assert.Equal(0, breaker.Admit(8, out _));
    }

    [Fact]
    public void A_failed_probe_doubles_the_pause_up_to_the_maximum_and_a_successful_one_closes_the_circuit()
    {
        var breaker = new CircuitBreaker(_options, _time);
        for (var i = 0; i < 3; i++)
        {
            breaker.Record(false);
        }

        foreach (var expected in new[] { 60, 100, 100 })
        {
            _time.Advance(breaker.OpenUntil!.Value - _time.GetUtcNow());
            Assert.Equal(1, breaker.Admit(4, out _));
            Assert.True(breaker.Record(false));
            Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(expected), breaker.OpenUntil);
        }

        _time.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal(1, breaker.Admit(4, out _));
        Assert.False(breaker.Record(true));
        Assert.False(breaker.IsOpen);
        Assert.Equal(4, breaker.Admit(4, out _));

        // Closed again, the next pause starts from the first duration.
        for (var i = 0; i < 3; i++)
        {
            breaker.Record(false);
        }

        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(30), breaker.OpenUntil);
    }

    [Fact]
    public void A_probe_handed_back_unsent_lets_the_next_one_through()
    {
        var breaker = new CircuitBreaker(_options, _time);
        for (var i = 0; i < 3; i++)
        {
            breaker.Record(false);
        }

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, breaker.Admit(1, out _));
        breaker.CancelProbe();
        Assert.Equal(1, breaker.Admit(1, out var probe));
        Assert.True(probe);
    }

    [Fact]
    public void A_late_failure_of_a_request_sent_before_the_circuit_opened_does_not_extend_the_pause()
    {
        var breaker = new CircuitBreaker(_options, _time);
        for (var i = 0; i < 3; i++)
        {
            breaker.Record(false);
        }

        var until = breaker.OpenUntil;
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(breaker.Record(false));
        Assert.Equal(until, breaker.OpenUntil);
    }
}
