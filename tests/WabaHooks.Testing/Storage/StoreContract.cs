using WabaHooks.Storage;
using Xunit;

namespace WabaHooks.Testing.Storage;

/// <summary>
/// The life of a contract suite's store: a fresh one per test, initialised before it and disposed after it. A subclass
/// per store (SQLite, PostgreSQL) says how to make one.
/// </summary>
/// <typeparam name="TStore">What the suite needs of the store.</typeparam>
public abstract class StoreContract<TStore> : IAsyncLifetime
    where TStore : class, IDeliveryStore
{
    private TStore? _store;

    /// <summary>The store under test, initialised.</summary>
    protected TStore Store => _store ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>The test's cancellation token.</summary>
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A fresh, empty store.</summary>
    protected abstract Task<TStore> CreateStoreAsync();

    /// <summary>Makes <paramref name="store"/> (the same database, reopened) the one under test, disposed at the end.</summary>
    protected void Replace(TStore store) => _store = store;

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        _store = await CreateStoreAsync();
        await _store.InitializeAsync(Ct);
    }

    /// <inheritdoc/>
    public virtual async ValueTask DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
