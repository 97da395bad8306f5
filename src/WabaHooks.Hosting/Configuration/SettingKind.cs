namespace WabaHooks.Hosting.Configuration;

/// <summary>How a setting is written in configuration.</summary>
internal enum SettingKind
{
    /// <summary>One value: a string, number, boolean, duration, URL or enum name.</summary>
    Value,

    /// <summary>A secret string, or <c>{ "File": path }</c>.</summary>
    Secret,

    /// <summary>A list of strings: an array, or one comma-separated string (handy in environment variables).</summary>
    List,

    /// <summary>App secrets: <c>"APP_ID:SECRET"</c> strings or <c>{ "AppId", "Secret" }</c> objects.</summary>
    AppSecrets,

    /// <summary>A nested object of settings.</summary>
    Object,
}
