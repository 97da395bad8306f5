using System.Text.RegularExpressions;
using WabaHooks.Testing;

namespace WabaHooks.Cli.Tests.Deploy;

/// <summary>The nginx site in deploy/ exposes Meta's callback and health, and nothing an operator uses.</summary>
public sealed partial class NginxSiteTests
{
    private static readonly string Site = File.ReadAllText(RepositoryRoot.Combine("deploy", "nginx", "wabahooks.conf"));

    /// <summary>The configuration without its comments.</summary>
    private static readonly string Directives = string.Join('\n', Site.Split('\n').Select(l => l.Split('#')[0]));

    [Fact]
    public void Only_the_callback_path_and_health_are_forwarded_to_serve()
    {
        var forwarded = LocationPattern().Matches(Directives)
            .Where(m => m.Groups["body"].Value.Contains("proxy_pass", StringComparison.Ordinal))
            .Select(m => m.Groups["location"].Value.Trim())
            .Order(StringComparer.Ordinal);

        Assert.Equal(["= /healthz", "= /readyz", "= /webhook"], forwarded);
        Assert.Matches(@"location / \{\s*return 404;\s*\}", Directives);
    }

    [Fact]
    public void The_upstream_is_the_units_callback_listener_and_never_the_metrics_one()
    {
        var unit = SystemdUnit.Load().Single("Service", "ExecStart");
        Assert.Contains("--urls http://127.0.0.1:8080", unit, StringComparison.Ordinal);
        Assert.Contains("server 127.0.0.1:8080;", Directives, StringComparison.Ordinal);
        Assert.Contains("--admin-urls http://127.0.0.1:8081", unit, StringComparison.Ordinal);
        Assert.DoesNotContain("8081", Directives, StringComparison.Ordinal);
    }

    [Fact]
    public void The_callback_path_is_the_one_serve_is_configured_with_and_bodies_up_to_serves_limit_pass()
    {
        var env = File.ReadAllLines(RepositoryRoot.Combine("deploy", "systemd", "wabahooks.env"));
        Assert.Contains("WabaHooks__Serve__Path=/webhook", env);
        Assert.Contains("client_max_body_size 4m;", Directives, StringComparison.Ordinal);
        Assert.Contains("listen 443 ssl;", Directives, StringComparison.Ordinal);
        Assert.Contains("ssl_protocols TLSv1.2 TLSv1.3;", Directives, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"location\s+(?<location>[^{]+)\{(?<body>[^}]*)\}")]
    private static partial Regex LocationPattern();
}
