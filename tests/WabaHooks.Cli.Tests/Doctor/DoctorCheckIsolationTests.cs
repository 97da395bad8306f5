using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using WabaHooks.Cli.Configuration;
using WabaHooks.Cli.Doctor;
using WabaHooks.Cli.Doctor.Checks;
using WabaHooks.Graph;
using WabaHooks.Testing.Graph;

namespace WabaHooks.Cli.Tests.Doctor;

/// <summary>The doctor's runner and its clock check, in process: checks are fenced off from one another.</summary>
public sealed class DoctorCheckIsolationTests
{
    [Fact]
    public async Task A_check_that_throws_or_hangs_fails_alone_and_the_others_still_report()
    {
        var checks = new IDoctorCheck[] { new Throwing(), new Hanging(), new Passing() };

        var findings = await DoctorRunner.RunAsync(checks, Context(new Uri("http://127.0.0.1:9")), TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);

        Assert.Collection(
            findings,
            f => Assert.Equal((Verdict.Fail, "throwing", "the check could not run: InvalidOperationException: broken on purpose"), (f.Verdict, f.Check, f.Detail)),
            f => Assert.Equal((Verdict.Fail, "hanging", "no answer within 0.3 s."), (f.Verdict, f.Check, f.Detail)),
            f => Assert.Equal((Verdict.Pass, "passing"), (f.Verdict, f.Check)));
    }

    [Fact]
    public async Task A_clock_five_minutes_ahead_of_the_graph_api_date_header_fails_the_skew_check()
    {
        await using var graph = await GraphStub.StartAsync(TestContext.Current.CancellationToken);
        var ahead = new FakeTimeProvider(TimeProvider.System.GetUtcNow() + TimeSpan.FromMinutes(5));

        var skewed = await new ClockSkewCheck().RunAsync(Context(graph.BaseUrl, ahead), TestContext.Current.CancellationToken);
        var right = await new ClockSkewCheck().RunAsync(Context(graph.BaseUrl), TestContext.Current.CancellationToken);

        var finding = Assert.Single(skewed);
        Assert.Equal(Verdict.Fail, finding.Verdict);
        Assert.Matches(@"^this host's clock is (299|300|301) s ahead of the Graph API's\.$", finding.Detail);
        Assert.Contains("timedatectl set-ntp true", finding.Fix, StringComparison.Ordinal);
        Assert.Equal(Verdict.Pass, Assert.Single(right).Verdict);
    }

    private static DoctorContext Context(Uri graph, TimeProvider? time = null) => new()
    {
        Configuration = new ConfigurationBuilder().Build(),
        Serve = new ServeOptions(),
        DataDir = Path.GetTempPath(),
        CallbackUrl = new Uri("http://127.0.0.1:9/webhook"),
        Graph = new GraphClientOptions { BaseUrl = graph, MaxRetries = 0 },
        RequestTimeout = TimeSpan.FromSeconds(5),
        Time = time ?? TimeProvider.System,
    };

    private sealed class Throwing : IDoctorCheck
    {
        public string Name => "throwing";

        public Task<IReadOnlyList<Finding>> RunAsync(DoctorContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("broken on purpose");
    }

    private sealed class Hanging : IDoctorCheck
    {
        public string Name => "hanging";

        public async Task<IReadOnlyList<Finding>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
        {
            // Ignores its token, as a stuck call would: the runner's bound ends the wait, not the check.
            await new TaskCompletionSource().Task;
            return [];
        }
    }

    private sealed class Passing : IDoctorCheck
    {
        public string Name => "passing";

        public Task<IReadOnlyList<Finding>> RunAsync(DoctorContext context, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Finding>>([Finding.Pass(Name, "fine.")]);
    }
}
