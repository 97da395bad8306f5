using System.Reflection;
using WabaHooks.Signatures;

namespace WabaHooks.Hosting.Configuration;

/// <summary>One configurable property of an options type: its key, how it is written, and how it is set.</summary>
internal sealed record Setting(string Key, SettingKind Kind, PropertyInfo Property)
{
    /// <summary>The property's type without <see cref="Nullable{T}"/>.</summary>
    public Type ValueType => Nullable.GetUnderlyingType(Property.PropertyType) ?? Property.PropertyType;

    /// <summary>
    /// The configurable properties of <paramref name="type"/>, in declaration order: public, readable, and either
    /// settable with a value type the binder reads, or a get-only list or nested settings object it fills.
    /// </summary>
    public static IReadOnlyList<Setting> Of(Type type) => Cache.GetOrAdd(type, static t =>
    [
        .. t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod is { IsPublic: true } && p.GetCustomAttribute<NotConfigurableAttribute>() is null)
            .OrderBy(p => p.MetadataToken)
            .Select(From)
            .OfType<Setting>(),
    ]);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, IReadOnlyList<Setting>> Cache = new();

    private static Setting? From(PropertyInfo property)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var settable = property.SetMethod is { IsPublic: true };
        if (type == typeof(IList<AppSecret>))
        {
            return new(property.Name, SettingKind.AppSecrets, property);
        }

        if (type == typeof(IList<string>))
        {
            return new(property.Name, SettingKind.List, property);
        }

        if (type == typeof(string))
        {
            return settable ? new(property.Name, property.GetCustomAttribute<SecretAttribute>() is null ? SettingKind.Value : SettingKind.Secret, property) : null;
        }

        if (SettingValues.CanRead(type))
        {
            return settable ? new(property.Name, SettingKind.Value, property) : null;
        }

        // A nested settings object: a class of ours with a public parameterless constructor (Processor, Retry, Graph…).
        return type.IsClass && type.Namespace?.StartsWith("WabaHooks", StringComparison.Ordinal) == true && type.GetConstructor(Type.EmptyTypes) is not null
            ? new(property.Name, SettingKind.Object, property)
            : null;
    }
}
