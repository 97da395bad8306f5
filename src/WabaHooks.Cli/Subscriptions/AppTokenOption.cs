using System.CommandLine;
using WabaHooks.Graph;

namespace WabaHooks.Cli.Subscriptions;

/// <summary>
/// <c>--app-id</c> and <c>--app-secret</c> for <c>/{app-id}/subscriptions</c>, which takes an app access token: either
/// APP_ID|SECRET built from the secret, or a ready token through --access-token or the environment.
/// </summary>
internal sealed class AppTokenOption
{
    public Option<string> AppId { get; } = new("--app-id") { Description = "The Meta app id.", Required = true };

    public Option<string?> AppSecret { get; } = new("--app-secret")
    {
        Description = "The app secret; the app access token APP_ID|SECRET is built from it (used instead of --access-token). Never printed.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(AppId);
        command.Options.Add(AppSecret);
    }

    /// <summary>The app access token when --app-secret was given; otherwise null, and the access token is used.</summary>
    public string? AppAccessToken(ParseResult parse, ICollection<string> errors)
    {
        var secret = parse.GetValue(AppSecret);
        if (string.IsNullOrWhiteSpace(secret))
        {
            return null;
        }

        try
        {
            return GraphClientOptions.CreateAppAccessToken(parse.GetValue(AppId) ?? "", secret);
        }
        catch (ArgumentException)
        {
            errors.Add("--app-id must be a Meta app id (digits, no '|') to build the app access token from --app-secret.");
            return null;
        }
    }
}
