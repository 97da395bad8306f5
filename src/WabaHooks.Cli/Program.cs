using System.CommandLine;
using System.CommandLine.Help;
using WabaHooks.Cli.Commands;

// Named after the tool's command, not taken from the process: RootCommand names itself after the entry assembly
// (WabaHooks.Cli), and System.CommandLine 2.0.0 cannot rename it, so help would show a name no one types. A plain
// command with RootCommand's help and version options parses the same; it gives up only the [suggest] directive,
// which no shell completion of ours uses.
var root = new Command("wabahooks", "WabaHooks: a gateway for WhatsApp Business Platform webhooks.")
{
    new HelpOption(),
    new VersionOption(),
    ServeCommand.Create(),
    DeliveriesCommand.Create(),
    MigrateCommand.Create(),
    PruneCommand.Create(),
    BackupCommand.Create(),
    TransferCommands.CreateExport(),
    TransferCommands.CreateImport(),
    TransferCommands.CreateCopyStore(),
    EventsCommand.Create(),
    DestinationsCommand.Create(),
    DeadLettersCommand.Create(),
    MessagesCommand.Create(),
    MediaCommand.Create(),
    SubscribeCommand.Create(),
    SubscriptionsCommand.Create(),
    UnsubscribeCommand.Create(),
    VerifyEndpointCommand.Create(),
    DoctorCommand.Create(),
    TriggerCommand.Create(),
    ConfigCommand.Create(),
};

// The host handles SIGINT and SIGTERM itself (stop accepting, commit in-flight deliveries, close the store);
// System.CommandLine must not cut that short with its own termination timeout.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
