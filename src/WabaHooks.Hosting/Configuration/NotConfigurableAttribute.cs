namespace WabaHooks.Hosting.Configuration;

/// <summary>Keeps a public property out of the configuration schema: it is set in code only.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotConfigurableAttribute : Attribute;
