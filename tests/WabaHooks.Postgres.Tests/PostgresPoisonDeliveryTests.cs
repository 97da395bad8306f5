using WabaHooks.Storage;
using WabaHooks.Testing;
using WabaHooks.Testing.Storage;

namespace WabaHooks.Postgres.Tests;

public sealed class PostgresPoisonDeliveryTests(PostgresServer server) : PoisonDeliveryContract
{
    protected override async Task<IWabaHooksStore> CreateStoreAsync() =>
        new PostgresStore(new PostgresStoreOptions { ConnectionString = await server.CreateDatabaseAsync() });

    [Fact]
    public async Task An_id_with_a_nul_character_that_postgresql_cannot_hold_is_marked_failed_and_the_others_are_stored()
    {
        // Valid JSON and valid UTF-8, but PostgreSQL's text type holds no NUL: the server refuses the event (class 22).
        var nul = Edited("messages-text.json", "\"id\": \"109876543210001\"", "\"id\": \"10987654321\\u0000\"");
        var ids = await AppendAsync(ExamplePayloads.Read("messages-image.json"), nul, ExamplePayloads.Read("messages-reaction.json"));

        var failed = Assert.Single((await DrainAsync()).SelectMany(r => r.Failed));

        Assert.Equal(ids[1], failed.DeliveryId);
        Assert.Contains("store-refused", failed.Reason, StringComparison.Ordinal);
        var outcomes = await OutcomesAsync();
        Assert.Equal(1, outcomes[ids[0]].Events);
        Assert.Equal(1, outcomes[ids[2]].Events);
    }
}
