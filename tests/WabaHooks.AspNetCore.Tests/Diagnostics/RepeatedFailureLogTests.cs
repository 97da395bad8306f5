using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using WabaHooks.Hosting.Diagnostics;

namespace WabaHooks.AspNetCore.Tests.Diagnostics;

public sealed class RepeatedFailureLogTests
{
    private const string StoreDown = "Delivery not stored, answered 503: the inbox is unavailable";
    private readonly FakeTimeProvider _time = new();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ILogger _logger;

    public RepeatedFailureLogTests() => _logger = _logs.CreateLogger("test");

    [Fact]
    public void The_first_occurrence_is_logged_in_full_and_the_repeats_of_the_interval_in_one_line_when_it_ends()
    {
        using var failures = new RepeatedFailureLog(_logger, _time, TimeSpan.FromSeconds(10));

        var logged = Enumerable.Range(0, 25_000).Count(_ => failures.ShouldLog(StoreDown));

        Assert.Equal(1, logged);
        Assert.Empty(_logs.Lines);
        _time.Advance(TimeSpan.FromSeconds(9.999));
        Assert.Empty(_logs.Lines);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal($"Error: 24999 more within 10 s of the one logged, not logged one by one: {StoreDown}", Assert.Single(_logs.Lines));
    }

    [Fact]
    public void After_the_interval_the_next_occurrence_is_logged_in_full_again()
    {
        using var failures = new RepeatedFailureLog(_logger, _time, TimeSpan.FromSeconds(10));

        Assert.True(failures.ShouldLog(StoreDown));
        Assert.False(failures.ShouldLog(StoreDown));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(failures.ShouldLog(StoreDown));
        Assert.False(failures.ShouldLog(StoreDown));
        Assert.False(failures.ShouldLog(StoreDown));
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(
            [
                $"Error: 1 more within 10 s of the one logged, not logged one by one: {StoreDown}",
                $"Error: 2 more within 10 s of the one logged, not logged one by one: {StoreDown}",
            ],
            _logs.Lines);
    }

    [Fact]
    public void A_failure_that_does_not_repeat_leaves_no_summary_line()
    {
        using var failures = new RepeatedFailureLog(_logger, _time, TimeSpan.FromSeconds(10));

        Assert.True(failures.ShouldLog(StoreDown));
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Empty(_logs.Lines);
        Assert.True(failures.ShouldLog(StoreDown));
    }

    [Fact]
    public void Each_key_has_its_own_interval_and_count_at_its_own_level()
    {
        using var failures = new RepeatedFailureLog(_logger, _time, TimeSpan.FromSeconds(10));

        Assert.True(failures.ShouldLog("Refused 401", LogLevel.Warning));
        Assert.True(failures.ShouldLog(StoreDown));
        Assert.False(failures.ShouldLog("Refused 401", LogLevel.Warning));
        Assert.False(failures.ShouldLog("Refused 401", LogLevel.Warning));
        Assert.False(failures.ShouldLog(StoreDown));
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(
            [
                $"Error: 1 more within 10 s of the one logged, not logged one by one: {StoreDown}",
                "Warning: 2 more within 10 s of the one logged, not logged one by one: Refused 401",
            ],
            _logs.Lines.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Keys_beyond_the_limit_share_one_count_so_memory_stays_bounded()
    {
        using var failures = new RepeatedFailureLog(_logger, _time, TimeSpan.FromSeconds(10), maxKeys: 3);

        var logged = Enumerable.Range(0, 1000).Count(i => failures.ShouldLog($"Refused 405: method M{i} is not allowed", LogLevel.Warning));
        _time.Advance(TimeSpan.FromSeconds(10));

        // The first three keys, then the first of the rest under the shared key.
        Assert.Equal(4, logged);
        Assert.Equal($"Warning: 996 more within 10 s of the one logged, not logged one by one: {RepeatedFailureLog.OtherFailuresKey}", Assert.Single(_logs.Lines));
    }

    [Fact]
    public void Dispose_writes_the_counts_of_open_intervals_so_none_is_lost_at_shutdown()
    {
        var failures = new RepeatedFailureLog(_logger, _time, TimeSpan.FromSeconds(10));
        failures.ShouldLog(StoreDown);
        failures.ShouldLog(StoreDown);

        failures.Dispose();
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal($"Error: 1 more within 10 s of the one logged, not logged one by one: {StoreDown}", Assert.Single(_logs.Lines));
        Assert.True(failures.ShouldLog(StoreDown));
    }

    [Fact]
    public async Task Concurrent_occurrences_are_each_counted_once()
    {
        using var failures = new RepeatedFailureLog(_logger, _time, TimeSpan.FromSeconds(10));

        var logged = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Enumerable.Range(0, 10_000).Count(_ => failures.ShouldLog(StoreDown)), TestContext.Current.CancellationToken)));
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(1, logged.Sum());
        Assert.Equal($"Error: 79999 more within 10 s of the one logged, not logged one by one: {StoreDown}", Assert.Single(_logs.Lines));
    }
}
