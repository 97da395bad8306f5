using System.Diagnostics.CodeAnalysis;
using Xunit;

namespace WabaHooks.Testing;

/// <summary>
/// The one place a test decides that this machine cannot run it. On a developer's machine a missing prerequisite
/// (PostgreSQL, a tmpfs mount) skips the test with the reason; under CI (<c>CI=true</c>), where <c>.ci/run</c> provides
/// every prerequisite, the same reason fails it, so a broken CI environment can never pass by skipping.
/// </summary>
public static class TestEnvironment
{
    /// <summary>What becomes of a test whose prerequisite is missing.</summary>
    public enum Outcome
    {
        /// <summary>Skipped, with the reason: a developer's machine may lack what CI has.</summary>
        Skip,

        /// <summary>Failed, with the reason: under CI nothing may be missing.</summary>
        Fail,
    }

    /// <summary>Whether the tests run under CI: the <c>CI</c> environment variable is <c>true</c> (or <c>1</c>).</summary>
    public static bool IsCI => IsCiValue(Environment.GetEnvironmentVariable("CI"));

    /// <summary>Whether a value of the <c>CI</c> environment variable means CI: <c>true</c>, any case, or <c>1</c>.</summary>
    public static bool IsCiValue(string? value) =>
        string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) || value == "1";

    /// <summary>What a missing prerequisite does to a test, under CI or not.</summary>
    public static Outcome WhenMissing(bool underCi) => underCi ? Outcome.Fail : Outcome.Skip;

    /// <summary>
    /// Returns when <paramref name="condition"/> holds; otherwise skips the test with <paramref name="reason"/>, or fails it
    /// under CI.
    /// </summary>
    public static void Require([DoesNotReturnIf(false)] bool condition, string reason) => Require(condition, reason, IsCI);

    /// <summary><see cref="Require(bool, string)"/> with the CI decision given.</summary>
    public static void Require([DoesNotReturnIf(false)] bool condition, string reason, bool underCi)
    {
        if (condition)
        {
            return;
        }

        if (WhenMissing(underCi) == Outcome.Fail)
        {
            Assert.Fail($"Required under CI (CI=true), where this must not skip: {reason}");
        }

        Assert.Skip(reason);
    }
}
