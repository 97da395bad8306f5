using WabaHooks.Testing.Graph;

namespace WabaHooks.Graph.Tests.Support;

internal static class Secrets
{
    /// <summary>Fails when any token or the app secret, raw or URL-encoded, appears in <paramref name="text"/>.</summary>
    public static void AssertAbsent(string? text)
    {
        Assert.NotNull(text);
        foreach (var secret in new[] { GraphStub.AccessToken, GraphStub.AppAccessToken, GraphStub.AppSecret })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Uri.EscapeDataString(secret), text, StringComparison.Ordinal);
        }
    }

    public static void AssertAbsent(Exception exception)
    {
        AssertAbsent(exception.Message);
        AssertAbsent(exception.ToString());
    }
}
