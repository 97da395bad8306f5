namespace EchoBot;

/// <summary>The sample's settings: command line (<c>--VerifyToken=…</c>), environment, or appsettings.json.</summary>
public sealed class EchoBotSettings
{
    /// <summary>Where the Graph API is. Default <c>https://graph.facebook.com</c>; tests point it at a local stub.</summary>
    public Uri GraphBaseUrl { get; set; } = new("https://graph.facebook.com");

    /// <summary>The Graph API version in request paths. Default <c>v24.0</c>.</summary>
    public string GraphVersion { get; set; } = "v24.0";

    /// <summary>
    /// A system user or user access token with <c>whatsapp_business_messaging</c>. Falls back to the
    /// <c>WABAHOOKS_ACCESS_TOKEN</c> environment variable, so it need not sit in a file.
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>The verify token also entered in Meta's App Dashboard.</summary>
    public string VerifyToken { get; set; } = "";

    /// <summary>The app secret (App settings &gt; Basic) that signs Meta's deliveries.</summary>
    public string AppSecret { get; set; } = "";

    /// <summary>The folder for the SQLite inbox. Default <c>data</c>.</summary>
    public string DataDir { get; set; } = "data";
}
