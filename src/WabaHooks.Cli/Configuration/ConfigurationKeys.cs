namespace WabaHooks.Cli.Configuration;

/// <summary>Configuration keys; each command-line option is the same name in kebab case.</summary>
internal static class ConfigurationKeys
{
    public const string EnvironmentPrefix = "WABAHOOKS__";
    public const string Urls = "Urls";
    public const string Path = "Path";
    public const string DataDir = "DataDir";
    public const string VerifyToken = "VerifyToken";
    public const string AppSecret = "AppSecret";
    public const string MaxBodyBytes = "MaxBodyBytes";
    public const string HttpsCert = "HttpsCert";
    public const string HttpsKey = "HttpsKey";
    public const string Postgres = "Postgres";
    public const string WatchWabaId = "WatchWabaId";
    public const string WatchAppId = "WatchAppId";
    public const string AccessToken = "AccessToken";
    public const string GraphUrl = "GraphUrl";
    public const string SubscriptionCheckInterval = "SubscriptionCheckInterval";
    public const string SilenceWarning = "SilenceWarning";
    public const string Destinations = "Destinations";
    public const string ReadyzDetails = "ReadyzDetails";
}
