namespace WabaHooks.Storage;

/// <summary>A complete store: the inbox, events and views, and sink work. SQLite and PostgreSQL both implement it.</summary>
public interface IWabaHooksStore : IDeliveryStore, IEventStore, ISinkWorkStore, IAsyncDisposable;
