using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using WabaHooks.Hosting.Health;
using WabaHooks.Testing;
using static WabaHooks.Hosting.Tests.Architecture.ArchitectureRules;

namespace WabaHooks.Hosting.Tests.Architecture;

/// <summary>
/// The arrows between the projects point one way: core, then the generic-host layer, then ASP.NET Core, the stores and
/// the Graph client side by side, then the CLI on top. Each rule is checked on the project files (a declared reference
/// counts even when no code uses it) and on the compiled assemblies this project can load (a reference the code uses).
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly ProjectGraph Repository = ProjectGraph.Load(ProjectGraph.RepositoryRoot());

    private static readonly Assembly CoreAssembly = typeof(Signatures.WebhookSignature).Assembly;
    private static readonly Assembly HostingAssembly = typeof(WabaHooksOptions).Assembly;
    private static readonly Assembly[] PluginAssemblies = [typeof(Sqlite.SqliteStore).Assembly, typeof(Postgres.PostgresStore).Assembly, typeof(Graph.GraphClient).Assembly];

    [Fact]
    public void The_core_references_nothing_outside_the_base_class_library()
    {
        Assert.Empty(CoreReferencesNothing(Repository));
        Assert.Empty(OutsideTheBcl(CoreAssembly));
    }

    [Fact]
    public void Neither_the_core_nor_the_hosting_layer_references_ASP_NET_Core()
    {
        Assert.Empty(NoAspNetCore(Repository, CoreProject, HostingProject));
        Assert.Empty(new[] { CoreAssembly, HostingAssembly }.SelectMany(a => Uses(a, [], aspNetCore: true)));
    }

    [Fact]
    public void The_ASP_NET_Core_layer_references_neither_store_nor_the_Graph_client()
    {
        Assert.Empty(References(Repository, AspNetCoreProject, Plugins));
    }

    [Fact]
    public void The_dashboard_builds_on_the_ASP_NET_Core_layer_and_references_neither_store_nor_the_Graph_client()
    {
        Assert.Contains(AspNetCoreProject, Repository.Closure(DashboardProject));
        Assert.Empty(References(Repository, DashboardProject, [.. Plugins, CliProject]));
    }

    [Fact]
    public void The_stores_and_the_Graph_client_reference_no_ASP_NET_Core_and_not_each_other()
    {
        Assert.Empty(PluginsApart(Repository));
        Assert.Empty(PluginAssemblies.SelectMany(a => Uses(a, Plugins.Where(p => p != a.GetName().Name), aspNetCore: true)));
    }

    [Fact]
    public void Each_broker_transport_depends_on_the_hosting_layer_alone_and_its_client_reaches_nothing_else()
    {
        Assert.Empty(Brokers.SelectMany(b => Repository[b].Projects.Where(p => p != HostingProject).Select(p => $"{b} references {p}")));
        Assert.Empty(BrokerClientsStayInTheirProjects(Repository));
    }

    [Fact]
    public void Nothing_but_the_CLIs_own_tests_references_the_CLI()
    {
        Assert.Empty(CliReferencedOnlyByItsTests(Repository));
        Assembly[] compiled = [CoreAssembly, HostingAssembly, .. PluginAssemblies];
        Assert.Empty(compiled.SelectMany(a => Uses(a, [CliProject], aspNetCore: false)));
    }

    [Fact]
    public async Task WabaHooks_runs_in_a_generic_host_without_loading_any_ASP_NET_Core_assembly()
    {
        using var dir = new TempDirectory();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddWabaHooks(o =>
        {
            o.VerifyToken = "token";
            o.AppSecrets.Add(new Signatures.AppSecret("app", "secret"));
        }).UseSqlite(dir.Path);
        using var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Tags.Contains(WabaHooksHealthChecks.ReadyTag), TestContext.Current.CancellationToken);
            Assert.Equal(HealthStatus.Healthy, report.Status);
        }
        finally
        {
            await host.StopAsync(TestContext.Current.CancellationToken);
        }

        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name?.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Each_rule_reports_a_reference_that_is_only_declared_in_a_project_file()
    {
        // A repository in which every arrow points the wrong way, in project files only: no code uses any of it.
        using var dir = new TempDirectory();
        Project(dir, "src/WabaHooks", packages: ["Newtonsoft.Json"], analyzers: ["Some.Analyzers"]);
        Project(dir, "src/WabaHooks.Hosting", frameworks: ["Microsoft.AspNetCore.App"], projects: ["src/WabaHooks"]);
        Project(dir, "src/WabaHooks.AspNetCore", projects: ["src/WabaHooks.Hosting", "src/WabaHooks.Postgres"]);
        Project(dir, "src/WabaHooks.Sqlite", projects: ["src/WabaHooks.Hosting", "src/WabaHooks.Graph"]);
        Project(dir, "src/WabaHooks.Postgres", projects: ["src/WabaHooks.Hosting"], packages: ["Microsoft.AspNetCore.Http.Abstractions"]);
        Project(dir, "src/WabaHooks.Graph", projects: ["src/WabaHooks.Hosting"], packages: ["RabbitMQ.Client"]);
        Project(dir, "src/WabaHooks.RabbitMQ", projects: ["src/WabaHooks.Hosting"], packages: ["RabbitMQ.Client"]);
        Project(dir, "src/WabaHooks.Nats", projects: ["src/WabaHooks.Hosting", "src/WabaHooks.RabbitMQ"], packages: ["NATS.Client.JetStream"]);
        Project(dir, "src/WabaHooks.Cli", projects: ["src/WabaHooks.AspNetCore", "src/WabaHooks.Sqlite"]);
        Project(dir, "tests/WabaHooks.Cli.Tests", projects: ["src/WabaHooks.Cli"]);
        Project(dir, "samples/EchoBot", projects: ["src/WabaHooks.Cli"]);
        var wrong = ProjectGraph.Load(dir.Path);

        Assert.Equal(["WabaHooks references Newtonsoft.Json"], CoreReferencesNothing(wrong));
        Assert.Equal(["WabaHooks.Hosting references Microsoft.AspNetCore.App"], NoAspNetCore(wrong, CoreProject, HostingProject));
        Assert.Equal(["WabaHooks.AspNetCore references WabaHooks.Postgres"], References(wrong, AspNetCoreProject, Plugins));
        Assert.Equal(
            [
                "WabaHooks.Graph references Microsoft.AspNetCore.App",
                "WabaHooks.Nats references Microsoft.AspNetCore.App",
                "WabaHooks.Nats references WabaHooks.RabbitMQ",
                "WabaHooks.Postgres references Microsoft.AspNetCore.App",
                "WabaHooks.Postgres references Microsoft.AspNetCore.Http.Abstractions",
                "WabaHooks.RabbitMQ references Microsoft.AspNetCore.App",
                "WabaHooks.Sqlite references Microsoft.AspNetCore.App",
                "WabaHooks.Sqlite references WabaHooks.Graph",
            ],
            PluginsApart(wrong).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["EchoBot references RabbitMQ.Client", "WabaHooks.Graph references RabbitMQ.Client", "WabaHooks.Sqlite references RabbitMQ.Client"],
            BrokerClientsStayInTheirProjects(wrong).Order(StringComparer.Ordinal));
        Assert.Equal(["EchoBot references WabaHooks.Cli"], CliReferencedOnlyByItsTests(wrong));

        // And the compiled checks see what code uses: the hosting layer uses more than the BCL, a store uses the hosting layer.
        Assert.Contains("WabaHooks.Hosting uses Microsoft.Extensions.Hosting.Abstractions", OutsideTheBcl(HostingAssembly));
        Assert.Equal(["WabaHooks.Sqlite uses WabaHooks.Hosting"], Uses(PluginAssemblies[0], [HostingProject], aspNetCore: false));
    }

    private static void Project(TempDirectory dir, string folder, string[]? projects = null, string[]? packages = null, string[]? analyzers = null, string[]? frameworks = null)
    {
        var name = Path.GetFileName(folder);
        var depth = string.Concat(Enumerable.Repeat("../", folder.Count(c => c == '/') + 1));
        var items = (projects ?? []).Select(p => $"""<ProjectReference Include="{depth}{p}/{Path.GetFileName(p)}.csproj" />""")
            .Concat((packages ?? []).Select(p => $"""<PackageReference Include="{p}" />"""))
            .Concat((analyzers ?? []).Select(p => $"""<PackageReference Include="{p}" PrivateAssets="all" />"""))
            .Concat((frameworks ?? []).Select(f => $"""<FrameworkReference Include="{f}" />"""));
        Directory.CreateDirectory(dir.Combine(folder));
        File.WriteAllText(dir.Combine(folder, name + ".csproj"), $"""<Project Sdk="Microsoft.NET.Sdk"><ItemGroup>{string.Concat(items)}</ItemGroup></Project>""");
    }
}
