namespace WabaHooks.AspNetCore.Tests.Handlers;

/// <summary>Bounded waits: a test that would hang fails instead.</summary>
internal static class Await
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public static Task<T> Within<T>(TaskCompletionSource<T> source) => source.Task.WaitAsync(Bound, TestContext.Current.CancellationToken);

    public static Task Within(TaskCompletionSource source) => source.Task.WaitAsync(Bound, TestContext.Current.CancellationToken);

    public static Task UntilAsync(Func<bool> condition, string what) => UntilAsync(() => Task.FromResult(condition()), what);

    /// <summary>Polls <paramref name="condition"/> until it holds, or fails after <see cref="Bound"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(25, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"Waited {Bound} for {what}.");
    }
}
