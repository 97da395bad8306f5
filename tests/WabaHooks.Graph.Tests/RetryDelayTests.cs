using System.Net.Http.Headers;

namespace WabaHooks.Graph.Tests;

public sealed class RetryDelayTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 0.0, 1000)]
    [InlineData(1, 0.998, 1499)]
    [InlineData(2, 0.0, 2000)]
    [InlineData(3, 0.5, 5000)]
    public void Backoff_doubles_per_retry_and_adds_up_to_half_again_as_jitter(int retry, double jitter, int expectedMilliseconds)
    {
        var delay = RetryDelay.Compute(retry, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), null, Now, jitter);

        Assert.Equal(expectedMilliseconds, delay.TotalMilliseconds, precision: 0);
    }

    [Fact]
    public void Backoff_is_capped_even_after_many_retries()
    {
        var delay = RetryDelay.Compute(5000, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), null, Now, 0.9);

        Assert.Equal(TimeSpan.FromSeconds(30), delay);
    }

    [Fact]
    public void Retry_after_seconds_wins_over_backoff()
    {
        var delay = RetryDelay.Compute(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)), Now, 0.5);

        Assert.Equal(TimeSpan.FromSeconds(7), delay);
    }

    [Fact]
    public void Retry_after_is_capped()
    {
        var delay = RetryDelay.Compute(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new RetryConditionHeaderValue(TimeSpan.FromHours(1)), Now, 0);

        Assert.Equal(TimeSpan.FromSeconds(30), delay);
    }

    [Fact]
    public void Retry_after_date_is_measured_from_now_and_a_past_date_means_no_wait()
    {
        var future = RetryDelay.Compute(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new RetryConditionHeaderValue(Now.AddSeconds(12)), Now, 0);
        var past = RetryDelay.Compute(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new RetryConditionHeaderValue(Now.AddSeconds(-12)), Now, 0);

        Assert.Equal(TimeSpan.FromSeconds(12), future);
        Assert.Equal(TimeSpan.Zero, past);
    }
}
