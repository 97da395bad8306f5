using WabaHooks.Testing;
using Xunit.Sdk;

namespace WabaHooks.Hosting.Tests;

/// <summary>The one decision every environment-dependent test goes through: skip on a developer's machine, fail under CI.</summary>
public sealed class TestEnvironmentTests
{
    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void CI_is_on_when_the_CI_variable_is_true_or_1(string? value, bool isCi) => Assert.Equal(isCi, TestEnvironment.IsCiValue(value));

    [Fact]
    public void A_missing_prerequisite_skips_on_a_developers_machine_and_fails_under_CI()
    {
        Assert.Equal(TestEnvironment.Outcome.Skip, TestEnvironment.WhenMissing(underCi: false));
        Assert.Equal(TestEnvironment.Outcome.Fail, TestEnvironment.WhenMissing(underCi: true));
    }

    [Fact]
    public void Under_CI_a_missing_prerequisite_fails_the_test_with_its_reason()
    {
        var failed = Assert.Throws<FailException>(() => TestEnvironment.Require(false, "no PostgreSQL here", underCi: true));

        Assert.Contains("no PostgreSQL here", failed.Message, StringComparison.Ordinal);
        Assert.Contains("CI=true", failed.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_prerequisite_that_is_there_lets_the_test_run(bool underCi) => TestEnvironment.Require(true, "unused", underCi);
}
