using WabaHooks.Cli.Tests.Support;
using WabaHooks.Testing;

namespace WabaHooks.Cli.Tests.Commands;

public sealed class VerifyEndpointTests(ServeFixture serve, VerificationEndpoints endpoints) : IClassFixture<ServeFixture>, IClassFixture<VerificationEndpoints>
{
    [Fact]
    public async Task Against_a_real_serve_every_functional_check_passes_and_the_latency_report_is_printed()
    {
        var result = await CliCommand.RunAsync(
            "verify-endpoint", serve.CallbackUrl.ToString(), "--verify-token", ServeFixture.VerifyToken, "--app-secret", ServeFixture.AppSecret,
            "--count", "200", "--concurrency", "4");

        foreach (var check in new[]
        {
            "verification request", "wrong verify token refused", "signed notification accepted", "unsigned notification refused",
            "badly signed notification refused", "every notification answered 200",
        })
        {
            Assert.Contains("PASS  " + check + ":", result.StandardOutput, StringComparison.Ordinal);
        }

        // The two latency checks judge this machine as much as the code (a loaded CI runner may miss Meta's SLO), so
        // only their presence is asserted here; their verdicts are proven against a deliberately slow endpoint below.
        var lines = result.StandardOutput.Split('\n');
        Assert.Single(lines, l => l.Contains("median latency ≤ 250 ms:", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("fewer than 1 % over 1 s:", StringComparison.Ordinal));
        var failures = lines.Where(l => l.StartsWith("FAIL", StringComparison.Ordinal)).ToList();
        Assert.All(failures, f => Assert.True(f.Contains("median latency", StringComparison.Ordinal) || f.Contains("over 1 s", StringComparison.Ordinal), f));
        Assert.Equal(failures.Count == 0 ? 0 : 1, result.ExitCode);
        Assert.Matches(@"Latency of 200 notifications at concurrency 4: p50 \d+ ms, p90 \d+ ms, p99 \d+ ms, max \d+ ms; \d+\.\d % over 1 s\.", result.StandardOutput);
        Assert.Contains("verify-endpoint burst: 200/200 (100%)", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_404_on_the_handshake_is_a_failure_of_both_token_checks_naming_the_path()
    {
        var result = await CliCommand.RunAsync(
            "verify-endpoint", endpoints.Url("no-such-path").ToString(), "--verify-token", VerificationEndpoints.VerifyToken);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("FAIL  verification request", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("FAIL  wrong verify token refused", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("path", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("PASS", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Against_a_broken_endpoint_each_failed_check_is_reported_and_the_exit_code_is_non_zero()
    {
        // /slow echoes the challenge for any token, accepts unsigned posts, and takes over a second to answer one.
        var result = await CliCommand.RunAsync(
            "verify-endpoint", endpoints.Url("slow").ToString(), "--verify-token", VerificationEndpoints.VerifyToken, "--app-secret", ServeFixture.AppSecret,
            "--count", "4", "--concurrency", "4");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("PASS  verification request", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("FAIL  wrong verify token refused", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("FAIL  unsigned notification refused", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("FAIL  badly signed notification refused", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("FAIL  median latency ≤ 250 ms", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("FAIL  fewer than 1 % over 1 s: 100.0 % over 1 s (4 of 4)", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("5 of 8 checks failed.", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_endpoint_fails_at_once_without_posting_anything()
    {
        var result = await CliCommand.RunAsync(
            "verify-endpoint", $"http://127.0.0.1:{FreePort.Next()}/webhook", "--verify-token", "t", "--app-secret", ServeFixture.AppSecret, "--timeout", "5");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("FAIL  verification request: not reachable", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("1 of 1 checks failed.", result.StandardOutput, StringComparison.Ordinal);
    }
}
