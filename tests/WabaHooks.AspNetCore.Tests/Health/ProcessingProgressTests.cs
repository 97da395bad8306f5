using Microsoft.Extensions.Time.Testing;
using WabaHooks.Hosting.Inbox;
using WabaHooks.Hosting.Processing;

namespace WabaHooks.AspNetCore.Tests.Health;

public sealed class ProcessingProgressTests
{
    [Fact]
    public void A_stall_counts_from_the_last_progress_and_ends_with_the_next_one()
    {
        var clock = new FakeTimeProvider();
        var progress = new ProcessingProgress(clock);
        Assert.Null(progress.Stall());

        clock.Advance(TimeSpan.FromSeconds(10));
        progress.Failed("the store failed");
        clock.Advance(TimeSpan.FromSeconds(50));
        progress.Failed("the store failed again");

        Assert.Equal((TimeSpan.FromSeconds(60), "the store failed again"), progress.Stall());

        progress.Progressed();
        Assert.Null(progress.Stall());
    }
}
