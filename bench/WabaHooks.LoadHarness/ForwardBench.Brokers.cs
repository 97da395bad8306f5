using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using RabbitMQ.Client;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Signatures;
using WabaHooks.Storage;

namespace WabaHooks.LoadHarness;

/// <summary>
/// <c>forward-broker</c>: how fast one broker destination drains a backlog, in events per second confirmed by the
/// broker (RabbitMQ publisher confirms, JetStream acknowledgements). The same backlog as <c>forward</c> (the example
/// payloads made unique, appended and split before the gateway starts); the clock runs from the gateway's start to
/// the moment the store records the last event as delivered, which happens only after the broker confirmed it.
/// The broker runs in its own process (<c>bench/forward.sh</c> starts it); this sets up what the destination
/// publishes to: a JetStream stream on <c>bench.&gt;</c>, or a durable topic exchange <c>bench</c> with a durable
/// queue bound to <c>#</c> (so the mandatory publishes route).
/// </summary>
internal static partial class ForwardBench
{
    public static async Task<int> RunBrokerAsync(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var kind = Value("--kind") ?? throw new ArgumentException("forward-broker --kind nats|rabbitmq --url URL [--format meta|event] [--concurrency N] [--deliveries N]");
        var url = new Uri(Value("--url") ?? throw new ArgumentException("--url is required."));
        var format = Value("--format") ?? "event";
        var concurrency = int.Parse(Value("--concurrency") ?? "256", CultureInfo.InvariantCulture);
        var count = int.Parse(Value("--deliveries") ?? "20000", CultureInfo.InvariantCulture);
        var payloads = Value("--payloads") ?? HarnessOptions.DefaultPayloadDirectory(HarnessOptions.FindRepositoryRoot());
        var templates = Directory.GetFiles(payloads, "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
        var root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"wabahooks-forward-broker-{Guid.NewGuid():N}"));
        try
        {
            await PrepareBrokerAsync(kind, url);
            var line = await RunBrokerOnceAsync(kind, url, format, concurrency, count, templates, root.FullName);
            Console.WriteLine(line);
            return line.StartsWith("FAILED", StringComparison.Ordinal) ? 1 : 0;
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static async Task<string> RunBrokerOnceAsync(string kind, Uri url, string format, int concurrency, int count, byte[][] templates, string dataDir)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var bodies = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            // A fresh id range each run: JetStream would drop a repeat of an earlier run's ids as duplicates.
            bodies[i] = MakeUnique(templates[i % templates.Length], (long.Parse(run[..6], NumberStyles.HexNumber, CultureInfo.InvariantCulture) * 100_000_000L) + i);
        }

        var expected = CountEvents(bodies, out _);
        var destination = new DestinationOptions
        {
            Name = "bench",
            Kind = kind,
            Url = url,
            Format = format == "event" ? DestinationFormat.Event : DestinationFormat.Meta,
            MaxConcurrency = concurrency,
        };
        await PreloadAsync(dataDir, bodies, destination, split: true);

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var hooks = builder.Services.AddWabaHooks(o =>
        {
            o.VerifyToken = "bench";
            o.AppSecrets.Add(new AppSecret("bench", AppSecretValue));
        }).UseSqlite(dataDir);
        void Same(DestinationOptions d)
        {
            d.Format = destination.Format;
            d.MaxConcurrency = concurrency;
        }

        if (kind == "nats")
        {
            hooks.AddNatsDestination("bench", url, Same, n => n.Subject = "bench.{type}");
        }
        else
        {
            hooks.AddRabbitMqDestination("bench", url, "bench", Same);
        }

        using var host = builder.Build();
        var work = host.Services.GetRequiredService<ISinkWorkStore>();
        var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        await host.StartAsync();
        SinkBacklog backlog;
        while (true)
        {
            backlog = (await work.GetBacklogAsync(CancellationToken.None)).Single();
            if (backlog.Done + backlog.Dead >= expected)
            {
                break;
            }

            await Task.Delay(20);
        }

        var wall = Stopwatch.GetElapsedTime(started);
        self.Refresh();
        var cpu = self.TotalProcessorTime - cpuBefore;
        await host.StopAsync();
        if (backlog.Dead > 0)
        {
            return $"FAILED kind={kind}: {backlog.Dead} events dead-lettered (last: {backlog.LastFailure?.Error})";
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"forward-broker kind={kind} format={format} concurrency={concurrency} deliveries={count} events={expected} "
            + $"confirmed-in={wall.TotalSeconds:0.00}s events/s={expected / wall.TotalSeconds:0} "
            + $"gateway-cpu={cpu.TotalSeconds:0.00}s ({cpu.TotalMicroseconds / expected:0}us/event) load={LoadAverage()}");
    }

    private static async Task PrepareBrokerAsync(string kind, Uri url)
    {
        if (kind == "nats")
        {
            await using var nats = new NatsConnection(NatsOpts.Default with { Url = url.ToString() });
            var js = new NatsJSContext(nats);
            await js.CreateOrUpdateStreamAsync(new StreamConfig("BENCH", ["bench.>"]) { Storage = StreamConfigStorage.File });
            return;
        }

        await using var connection = await new ConnectionFactory { Uri = url }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync("bench", ExchangeType.Topic, durable: true, autoDelete: false);
        await channel.QueueDeclareAsync("bench", durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync("bench", "bench", "#");
    }
}
