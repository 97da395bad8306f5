using System.CommandLine;
using WabaHooks.Cli.Commands;

var root = new RootCommand("WabaHooks: a gateway for WhatsApp Business Platform webhooks.")
{
    ServeCommand.Create(),
    DeliveriesCommand.Create(),
    MigrateCommand.Create(),
    EventsCommand.Create(),
    DestinationsCommand.Create(),
    DeadLettersCommand.Create(),
    MessagesCommand.Create(),
    SubscribeCommand.Create(),
    SubscriptionsCommand.Create(),
    UnsubscribeCommand.Create(),
    VerifyEndpointCommand.Create(),
    TriggerCommand.Create(),
};

// The host handles SIGINT and SIGTERM itself (stop accepting, commit in-flight deliveries, close the store);
// System.CommandLine must not cut that short with its own termination timeout.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
