using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Cli.Configuration;
using WabaHooks.Cli.Output;
using WabaHooks.Storage;

namespace WabaHooks.Cli.Commands;

/// <summary><c>wabahooks destinations list|test</c>: the configured HTTP destinations, their backlog and health.</summary>
internal static class DestinationsCommand
{
    public static Command Create()
    {
        var command = new Command("destinations", "The destinations events are forwarded to, over HTTP or to a broker (configured under \"Destinations\").");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateTest());
        return command;
    }

    private static Command CreateList()
    {
        var common = new CommonOptions();
        var json = new Option<bool>("--json") { Description = "Print one JSON array." };
        var command = new Command("list", "List the destinations: format, URL (without credentials or query), filter, backlog and health.");
        common.AddTo(command);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var configuration = common.Load(parse, errors);
            var destinations = ConfiguredDestinations.Read(configuration, errors);
            if (errors.Count > 0)
            {
                return CommonOptions.Fail("destinations list", errors);
            }

            // Health comes from the store; before serve has ever run there is none, and the settings alone are shown.
            var backlog = new Dictionary<string, SinkBacklog>(StringComparer.Ordinal);
            if (StoreAccess.Exists(configuration))
            {
                await using var store = await StoreAccess.OpenExistingAsync(configuration, cancellationToken).ConfigureAwait(false);
                if (store is null)
                {
                    return ExitCodes.NotFound;
                }

                foreach (var b in await store.GetBacklogAsync(cancellationToken).ConfigureAwait(false))
                {
                    backlog[b.Sink] = b;
                }
            }

            var now = TimeProvider.System.GetUtcNow();
            if (parse.GetValue(json))
            {
                var list = destinations.Select(d => DestinationJson.From(d, backlog.GetValueOrDefault(d.SinkName), now)).ToList();
                Console.Out.WriteLine(JsonSerializer.Serialize(list, OutputJsonContext.Default.ListDestinationJson));
                return ExitCodes.Success;
            }

            if (destinations.Count == 0)
            {
                Console.Out.WriteLine($"No destinations are configured in {CliConfiguration.Source(configuration)}. Add them under \"WabaHooks\": {{ \"Destinations\": [ … ] }}; see the README.");
                return ExitCodes.Success;
            }

            var table = new TextTable("NAME", "FORMAT", "URL", "FILTER", "PENDING", "DEAD", "DONE", "LAST ATTEMPT (UTC)", "HEALTH");
            foreach (var d in destinations)
            {
                var b = backlog.GetValueOrDefault(d.SinkName);
                table.Add(
                    d.Name, d.Format.ToString().ToLowerInvariant(), DestinationView.SafeUrl(d.Url), DestinationView.Filter(d),
                    DestinationView.Count(b?.Pending), DestinationView.Count(b?.Dead), DestinationView.Count(b?.Done),
                    Timestamps.Utc(b?.LastAttemptAt), DestinationView.Health(b, now));
            }

            table.Write(Console.Out);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateTest()
    {
        var common = new CommonOptions();
        var name = new Argument<string>("NAME") { Description = "The destination's name, from destinations list." };
        var command = new Command(
            "test",
            "Send the destination a test in its format (a wabahooks.test event, or a messages notification for Meta's format; signed over HTTP, published to a broker) and report the answer and latency. Exit code 0 on a 2xx or a broker's confirmation.");
        common.AddTo(command);
        command.Arguments.Add(name);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var configuration = common.Load(parse, errors);
            var destination = ConfiguredDestinations.Find(configuration, parse.GetValue(name)!, errors);
            if (errors.Count > 0 || destination is null)
            {
                return CommonOptions.Fail("destinations test", errors);
            }

            // The same transport, with the same rules, as the gateway sends through: for HTTP the named client, for a
            // broker its connection, checked first as at start-up (a missing exchange or stream is said so).
            var services = new ServiceCollection();
            services.AddWabaHooks(configuration.GetSection(CliConfiguration.Section)).AddBrokerDestinations();
            await using var provider = services.BuildServiceProvider();
            DestinationResponse response;
            try
            {
                response = await provider.GetRequiredService<DestinationTester>().TestAsync(destination.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return ExitCodes.Failure;
            }

            var latency = response.Latency.TotalMilliseconds.ToString("0.#", CultureInfo.InvariantCulture);
            var output = response.Succeeded ? Console.Out : Console.Error;
            output.WriteLine(response switch
            {
                { StatusCode: { } status } => $"{destination.Name}: HTTP {status.ToString(CultureInfo.InvariantCulture)} in {latency} ms ({(response.Succeeded ? "accepted" : response.Error)})",
                { Succeeded: true } => $"{destination.Name}: confirmed in {latency} ms",
                _ when DestinationKinds.IsHttp(destination.Kind) => $"{destination.Name}: no answer after {latency} ms ({response.Error})",
                _ => $"{destination.Name}: refused after {latency} ms ({response.Error})",
            });
            if (response.Head is { Length: > 0 } head)
            {
                output.WriteLine($"  answer: {head.ReplaceLineEndings(" ")}");
            }

            return response.Succeeded ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
