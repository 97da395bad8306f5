using System.CommandLine;
using WabaHooks.Graph;

namespace WabaHooks.Cli.Subscriptions;

/// <summary>The options every Graph API command shares: where Graph is, which version, and the token.</summary>
internal sealed class GraphCommandOptions
{
    private static readonly GraphClientOptions Defaults = new();

    public Option<string> GraphUrl { get; } = new("--graph-url")
    {
        Description = "The Graph API base URL, for tests and private deployments.",
        DefaultValueFactory = _ => Defaults.BaseUrl.AbsoluteUri.TrimEnd('/'),
    };

    public Option<string> GraphVersion { get; } = new("--graph-version")
    {
        Description = "The Graph API version.",
        DefaultValueFactory = _ => Defaults.Version,
    };

    public Option<string?> AccessToken { get; } = new("--access-token")
    {
        Description = $"A system-user or business-integration token with whatsapp_business_management [default: ${GraphClientOptions.AccessTokenEnvironmentVariable}]. Never printed.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(GraphUrl);
        command.Options.Add(GraphVersion);
        command.Options.Add(AccessToken);
    }

    /// <summary>
    /// The client options, or null with the problems added to <paramref name="errors"/>. A missing token is a
    /// configuration error here, before any preflight or Graph call, rather than a failure halfway through.
    /// </summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="errors">Collects every problem.</param>
    /// <param name="forApp">Whether the command calls /{app-id}/subscriptions, which also takes --app-secret.</param>
    /// <param name="appAccessToken">The app access token (APP_ID|SECRET) for /{app-id}/subscriptions, when one was built.</param>
    public GraphClientOptions? Build(ParseResult parse, ICollection<string> errors, bool forApp = false, string? appAccessToken = null)
    {
        var options = new GraphClientOptions
        {
            Version = parse.GetValue(GraphVersion) ?? Defaults.Version,
            AccessToken = parse.GetValue(AccessToken),
            AppAccessToken = appAccessToken,
        };

        var url = parse.GetValue(GraphUrl);
        if (Uri.TryCreate(url, UriKind.Absolute, out var baseUrl))
        {
            options.BaseUrl = baseUrl;
        }
        else
        {
            errors.Add($"--graph-url must be an absolute http or https URL, such as https://graph.facebook.com (was '{url}').");
            return null;
        }

        foreach (var problem in options.Validate())
        {
            errors.Add(problem.Replace("BaseUrl", "--graph-url", StringComparison.Ordinal).Replace("Version", "--graph-version", StringComparison.Ordinal));
        }

        if (appAccessToken is null && options.ResolveAccessToken() is null)
        {
            errors.Add(forApp
                ? $"No app access token: pass --app-secret (the token is then APP_ID|SECRET), --access-token, or set {GraphClientOptions.AccessTokenEnvironmentVariable}."
                : $"No access token: pass --access-token or set {GraphClientOptions.AccessTokenEnvironmentVariable} to a system-user token with whatsapp_business_management.");
        }

        return errors.Count == 0 ? options : null;
    }
}
