using Xunit;

namespace WabaHooks.Testing;

/// <summary>Bounded waits on state: a test that would hang fails instead, and none waits longer than the state needs.</summary>
public static class Await
{
    /// <summary>How long a wait lasts before the test fails, unless told otherwise.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>How often a condition is read again. Only the pace of polling: the outcome is decided by the state read.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    /// <summary>The task of <paramref name="source"/>, or a failure after <see cref="Bound"/>.</summary>
    public static Task<T> Within<T>(TaskCompletionSource<T> source) => source.Task.WaitAsync(Bound, TestContext.Current.CancellationToken);

    /// <inheritdoc cref="Within{T}(TaskCompletionSource{T})"/>
    public static Task Within(TaskCompletionSource source) => source.Task.WaitAsync(Bound, TestContext.Current.CancellationToken);

    /// <summary>Polls <paramref name="condition"/> until it holds, or fails after <see cref="Bound"/>.</summary>
    public static Task UntilAsync(Func<bool> condition, string what) => UntilAsync(() => Task.FromResult(condition()), what);

    /// <summary>Polls <paramref name="condition"/> until it holds, or fails after <see cref="Bound"/>.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, string what) =>
        UntilAsync(condition, holds => holds, what);

    /// <summary>
    /// Reads <paramref name="read"/> until <paramref name="done"/> holds for what it returns, and returns that; fails
    /// after <paramref name="bound"/> (<see cref="Bound"/> when null), naming <paramref name="what"/> and the last value read.
    /// </summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? bound = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var limit = bound ?? Bound;
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Waited {limit} for {what}; last read: {value}");
            }

            await Task.Delay(PollInterval, TestContext.Current.CancellationToken);
        }
    }
}
