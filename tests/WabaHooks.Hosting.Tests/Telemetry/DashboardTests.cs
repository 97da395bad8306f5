using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WabaHooks.Hosting;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Signatures;
using WabaHooks.Testing;

namespace WabaHooks.Hosting.Tests.Telemetry;

public sealed partial class DashboardTests
{
    [Fact]
    public void Every_metric_the_Grafana_dashboard_queries_is_one_that_WabaHooks_publishes()
    {
        var queried = QueriedMetrics(RepositoryRoot.Combine("deploy", "grafana", "wabahooks.json"));
        var published = PublishedMetrics();

        Assert.NotEmpty(queried);
        Assert.Empty(queried.Except(published).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_metric_WabaHooks_publishes_is_on_the_Grafana_dashboard()
    {
        var queried = QueriedMetrics(RepositoryRoot.Combine("deploy", "grafana", "wabahooks.json"));
        // A family is on the dashboard when any of its series is (a histogram's _bucket, _sum or _count).
        var families = PublishedMetrics().GroupBy(n => Regex.Replace(n, "_(bucket|sum|count)$", ""));

        Assert.Empty(families.Where(f => !f.Any(queried.Contains)).Select(f => f.Key).Order(StringComparer.Ordinal));
    }

    /// <summary>Every <c>wabahooks_…</c> metric name in the dashboard's queries, labels left out.</summary>
    private static HashSet<string> QueriedMetrics(string dashboard)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(dashboard));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var panel in json.RootElement.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                // Label names share the prefix: drop label matchers and by (…) clauses, then what is left are metrics.
                var expr = Grouping().Replace(Selector().Replace(target.GetProperty("expr").GetString()!, ""), "");
                names.UnionWith(MetricName().Matches(expr).Select(m => m.Value));
            }
        }

        return names;
    }

    /// <summary>The Prometheus names of every instrument on the WabaHooks meter of a host with a destination and the watchdog.</summary>
    private static HashSet<string> PublishedMetrics()
    {
        using var dir = new TempDirectory();
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (instrument.Meter.Name == WabaHooksTelemetry.MeterName)
            {
                lock (names)
                {
                    names.UnionWith(PrometheusNames(instrument));
                }
            }
        };
        listener.Start();

        var builder = Host.CreateApplicationBuilder();
        builder.Services
            .AddWabaHooks(o =>
            {
                o.VerifyToken = "t";
                o.AppSecrets.Add(new AppSecret("app", "secret"));
            })
            .UseSqlite(dir.Path)
            .AddDestination(new DestinationOptions { Name = "crm", Url = new Uri("http://127.0.0.1:9/hook"), Secret = "s" })
            .AddSubscriptionWatchdog(o =>
            {
                o.WabaIds.Add("1");
                o.Graph.AccessToken = "token";
            });
        using var host = builder.Build();
        // Every hosted service and what it depends on, as at start-up, without starting anything.
        _ = host.Services.GetServices<IHostedService>().ToList();
        return names;
    }

    /// <summary>What the OpenTelemetry Prometheus exporter calls an instrument's series.</summary>
    private static IEnumerable<string> PrometheusNames(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_');
        if (instrument.Unit == "s")
        {
            name += "_seconds";
        }

        var type = instrument.GetType().GetGenericTypeDefinition();
        return type == typeof(Counter<>) ? [name + "_total"]
            : type == typeof(Histogram<>) ? [name + "_bucket", name + "_sum", name + "_count"]
            : [name];
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Selector();

    [GeneratedRegex(@"\bby\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\bwabahooks_[a-z_]+\b")]
    private static partial Regex MetricName();
}
