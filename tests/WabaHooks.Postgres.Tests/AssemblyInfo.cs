// One PostgreSQL cluster for the whole assembly; each test gets its own database.
[assembly: AssemblyFixture(typeof(WabaHooks.Testing.Storage.PostgresServer))]
