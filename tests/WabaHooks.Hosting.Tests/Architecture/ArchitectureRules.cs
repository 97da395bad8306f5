using System.Reflection;

namespace WabaHooks.Hosting.Tests.Architecture;

/// <summary>
/// Which way the arrows between the projects point, as rules that list what breaks them: read from the project files
/// (every declared reference, used or not) and from the compiled assemblies (every reference the code uses).
/// </summary>
internal static class ArchitectureRules
{
    public const string CoreProject = "WabaHooks";
    public const string HostingProject = "WabaHooks.Hosting";
    public const string AspNetCoreProject = "WabaHooks.AspNetCore";
    public const string DashboardProject = "WabaHooks.Dashboard";
    public const string SqliteProject = "WabaHooks.Sqlite";
    public const string PostgresProject = "WabaHooks.Postgres";
    public const string GraphProject = "WabaHooks.Graph";
    public const string RabbitMqProject = "WabaHooks.RabbitMQ";
    public const string NatsProject = "WabaHooks.Nats";
    public const string CliProject = "WabaHooks.Cli";
    public const string CliTestsProject = "WabaHooks.Cli.Tests";

    /// <summary>The projects that plug into the hosting layer side by side: neither may depend on another.</summary>
    public static readonly string[] Plugins = [SqliteProject, PostgresProject, GraphProject, RabbitMqProject, NatsProject];

    /// <summary>The broker transports, each its own project so a user pulls only the client they use.</summary>
    public static readonly string[] Brokers = [RabbitMqProject, NatsProject];

    /// <summary>The broker client packages, each allowed only in its own transport's project.</summary>
    public static readonly string[] BrokerClients = ["RabbitMQ.Client", "NATS.Client.JetStream", "NATS.Client.Core", "NATS.Net"];

    /// <summary>
    /// A broker client reaches no project but its own transport's and those that compose it on purpose (the CLI, tests).
    /// </summary>
    public static IEnumerable<string> BrokerClientsStayInTheirProjects(ProjectGraph graph) =>
        graph.Projects
            .Where(p => !Brokers.Contains(p.Name) && p.Name is not CliProject && !p.Name.EndsWith(".Tests", StringComparison.Ordinal) && p.Name is not "WabaHooks.LoadHarness")
            .SelectMany(p => graph.Closure(p.Name).Where(r => BrokerClients.Contains(r) || Brokers.Contains(r)).Select(r => $"{p.Name} references {r}"));

    /// <summary>The core declares no reference at all: no project, no package, no framework beyond the BCL.</summary>
    public static IEnumerable<string> CoreReferencesNothing(ProjectGraph graph)
    {
        var core = graph[CoreProject];
        return core.Projects.Concat(core.Packages).Concat(core.Frameworks).Select(r => $"{CoreProject} references {r}");
    }

    /// <summary>None of <paramref name="projects"/> reaches ASP.NET Core, directly or through what it references.</summary>
    public static IEnumerable<string> NoAspNetCore(ProjectGraph graph, params string[] projects) =>
        projects.SelectMany(p => graph.Closure(p).Where(IsAspNetCore).Select(r => $"{p} references {r}"));

    /// <summary><paramref name="project"/> reaches none of <paramref name="forbidden"/>, directly or through what it references.</summary>
    public static IEnumerable<string> References(ProjectGraph graph, string project, IEnumerable<string> forbidden) =>
        graph.Closure(project).Intersect(forbidden).Select(r => $"{project} references {r}");

    /// <summary>The stores and the Graph client reach no ASP.NET Core and not each other.</summary>
    public static IEnumerable<string> PluginsApart(ProjectGraph graph) =>
        NoAspNetCore(graph, Plugins).Concat(Plugins.SelectMany(p => References(graph, p, Plugins.Where(other => other != p))));

    /// <summary>Only the CLI's own tests reach the CLI.</summary>
    public static IEnumerable<string> CliReferencedOnlyByItsTests(ProjectGraph graph) =>
        graph.Projects.Where(p => p.Name is not CliProject and not CliTestsProject && graph.Closure(p.Name).Contains(CliProject)).Select(p => $"{p.Name} references {CliProject}");

    /// <summary>Every assembly the compiled <paramref name="assembly"/> uses that is not part of the .NET runtime itself.</summary>
    public static IEnumerable<string> OutsideTheBcl(Assembly assembly)
    {
        // The runtime's own folder (Microsoft.NETCore.App) holds the BCL, and nothing else: not ASP.NET Core, not
        // Microsoft.Extensions.*, no package.
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return Used(assembly).Where(name => !File.Exists(Path.Combine(runtime, name + ".dll"))).Select(name => $"{assembly.GetName().Name} uses {name}");
    }

    /// <summary>Every assembly the compiled <paramref name="assembly"/> uses whose name is one of <paramref name="forbidden"/> or ASP.NET Core's.</summary>
    public static IEnumerable<string> Uses(Assembly assembly, IEnumerable<string> forbidden, bool aspNetCore) =>
        Used(assembly).Where(name => forbidden.Contains(name, StringComparer.Ordinal) || (aspNetCore && IsAspNetCore(name)))
            .Select(name => $"{assembly.GetName().Name} uses {name}");

    private static IEnumerable<string> Used(Assembly assembly) => assembly.GetReferencedAssemblies().Select(a => a.Name).OfType<string>();

    private static bool IsAspNetCore(string reference) => reference.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal);
}
