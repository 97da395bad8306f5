namespace WabaHooks.Hosting.Configuration;

/// <summary>
/// Marks a setting that holds a secret. In configuration it may be the value itself or <c>{ "File": "/run/secrets/x" }</c>
/// (the file's content, without its trailing line break, the way Docker and Kubernetes mount secrets), and its value
/// never appears in a configuration error.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;
