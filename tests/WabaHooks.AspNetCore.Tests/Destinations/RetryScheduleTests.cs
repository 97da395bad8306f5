using WabaHooks.Hosting.Destinations;

namespace WabaHooks.AspNetCore.Tests.Destinations;

public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset Scheduled = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static DestinationRetryOptions Policy() => new() { BaseDelay = TimeSpan.FromSeconds(5), MaxDelay = TimeSpan.FromMinutes(10), Window = TimeSpan.FromHours(1) };

    [Fact]
    public void Delays_grow_exponentially_under_full_jitter_and_stop_at_the_cap()
    {
        var random = new Random(7);
        foreach (var (attempt, ceiling) in new[] { (1, 5.0), (2, 10.0), (4, 40.0), (20, 600.0) })
        {
            var delays = Enumerable.Range(0, 500).Select(_ => (RetrySchedule.Next(Policy(), Scheduled, attempt, null, Scheduled, random)!.Value - Scheduled).TotalSeconds).ToList();
            Assert.All(delays, d => Assert.InRange(d, 0, ceiling));
            // Full jitter spreads over the whole range, not near one value.
            Assert.True(delays.Max() > ceiling * 0.9 && delays.Min() < ceiling * 0.1, $"attempt {attempt}: {delays.Min()}..{delays.Max()}");
        }
    }

    [Fact]
    public void Retry_after_is_honoured_up_to_the_cap()
    {
        var random = new Random(7);
        Assert.Equal(Scheduled.AddSeconds(120), RetrySchedule.Next(Policy(), Scheduled, 1, TimeSpan.FromSeconds(120), Scheduled, random));
        Assert.Equal(Scheduled.AddMinutes(10), RetrySchedule.Next(Policy(), Scheduled, 1, TimeSpan.FromHours(5), Scheduled, random));
    }

    [Fact]
    public void The_last_attempt_is_at_the_end_of_the_window_and_a_failure_after_it_is_a_dead_letter()
    {
        var random = new Random(7);
        var nearEnd = Scheduled.AddMinutes(59);
        Assert.Equal(Scheduled.AddHours(1), RetrySchedule.Next(Policy(), Scheduled, 30, TimeSpan.FromMinutes(10), nearEnd, random));
        Assert.Null(RetrySchedule.Next(Policy(), Scheduled, 31, null, Scheduled.AddHours(1), random));
    }

    [Fact]
    public void A_zero_window_dead_letters_on_the_first_failure()
    {
        var policy = Policy();
        policy.Window = TimeSpan.Zero;
        Assert.Null(RetrySchedule.Next(policy, Scheduled, 1, null, Scheduled, new Random(7)));
    }
}
