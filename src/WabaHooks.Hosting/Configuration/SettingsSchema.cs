using System.Globalization;
using System.Text;
using System.Text.Json;

namespace WabaHooks.Hosting.Configuration;

/// <summary>
/// Writes the JSON Schema of the WabaHooks configuration from the options types themselves (their settings, defaults
/// and XML docs), so editors complete and check <c>appsettings.json</c> and <c>wabahooks.json</c>.
/// </summary>
internal static class SettingsSchema
{
    /// <summary>A sub-section of the WabaHooks section, read by an extension (the store, the watchdog, <c>serve</c>).</summary>
    /// <param name="Key">Its key.</param>
    /// <param name="Type">The options type it binds to.</param>
    /// <param name="IsList">Whether it is a list of such objects (<c>Destinations</c>).</param>
    /// <param name="Description">What it is, and who reads it.</param>
    /// <param name="KindSettings">
    /// The settings types of the destination kinds whose keys the same objects may hold (a RabbitMQ destination's
    /// <c>Exchange</c>); a key two kinds share is described once.
    /// </param>
    public sealed record Section(string Key, Type Type, bool IsList, string Description, IReadOnlyList<Type>? KindSettings = null);

    public static string Write(Type root, string rootKey, IReadOnlyList<Section> sections)
    {
        var docs = new XmlDocs();
        var definitions = new List<Type>();
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", "https://json-schema.org/draft/2020-12/schema");
            json.WriteString("title", "WabaHooks configuration");
            json.WriteString("description", $"The \"{rootKey}\" section of appsettings.json, read by AddWabaHooks(configuration.GetSection(\"{rootKey}\")), and of the file given to wabahooks --config. Generated from the options types; do not edit.");
            json.WriteString("type", "object");
            json.WriteStartObject("properties");
            json.WriteStartObject(rootKey);
            json.WriteString("$ref", Ref(root, definitions));
            json.WriteEndObject();
            json.WriteEndObject();

            json.WriteStartObject("$defs");
            var kinds = sections.Where(s => s.KindSettings is not null).ToDictionary(s => s.Type, s => s.KindSettings!);
            for (var i = 0; i < definitions.Count; i++)
            {
                WriteObject(json, definitions[i], definitions, docs, definitions[i] == root ? sections : [], kinds.GetValueOrDefault(definitions[i]) ?? []);
            }

            WriteCommonDefinitions(json);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    private static string Ref(Type type, List<Type> definitions)
    {
        if (!definitions.Contains(type))
        {
            definitions.Add(type);
        }

        return "#/$defs/" + type.Name;
    }

    private static void WriteObject(Utf8JsonWriter json, Type type, List<Type> definitions, XmlDocs docs, IReadOnlyList<Section> sections, IReadOnlyList<Type> kindSettings)
    {
        json.WriteStartObject(type.Name);
        if (docs.Of(type) is { } summary)
        {
            json.WriteString("description", summary);
        }

        json.WriteString("type", "object");
        json.WriteBoolean("additionalProperties", false);
        json.WriteStartObject("properties");
        var written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var owner in new[] { type }.Concat(kindSettings))
        {
            var defaults = Activator.CreateInstance(owner);
            foreach (var setting in Setting.Of(owner).Where(s => written.Add(s.Key)))
            {
                json.WriteStartObject(setting.Key);
                if (docs.Of(setting.Property) is { } description)
                {
                    json.WriteString("description", owner == type ? description : $"({KindOf(owner)}) {description}");
                }

                WriteShape(json, setting, setting.Property.GetValue(defaults), definitions);
                json.WriteEndObject();
            }
        }

        foreach (var section in sections)
        {
            json.WriteStartObject(section.Key);
            json.WriteString("description", section.Description);
            if (section.IsList)
            {
                json.WriteString("type", "array");
                json.WriteStartObject("items");
                json.WriteString("$ref", Ref(section.Type, definitions));
                json.WriteEndObject();
            }
            else
            {
                json.WriteString("$ref", Ref(section.Type, definitions));
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    // RabbitMqDestinationOptions → rabbitmq destinations: the kind a settings type belongs to, for its keys' descriptions.
    private static string KindOf(Type settings) =>
        settings.Name.Replace("DestinationOptions", "", StringComparison.Ordinal).ToLowerInvariant() + " destinations";

    private static void WriteShape(Utf8JsonWriter json, Setting setting, object? defaultValue, List<Type> definitions)
    {
        switch (setting.Kind)
        {
            case SettingKind.Object:
                json.WriteString("$ref", Ref(setting.ValueType, definitions));
                return;
            case SettingKind.Secret:
                json.WriteString("$ref", "#/$defs/secret");
                return;
            case SettingKind.List:
                json.WriteString("$ref", "#/$defs/stringList");
                return;
            case SettingKind.AppSecrets:
                json.WriteString("$ref", "#/$defs/appSecrets");
                return;
        }

        var type = setting.ValueType;
        if (type == typeof(TimeSpan))
        {
            json.WriteString("$ref", "#/$defs/duration");
            json.WriteString("default", ((TimeSpan)defaultValue!).ToString("c", CultureInfo.InvariantCulture));
            return;
        }

        if (type.IsEnum)
        {
            json.WriteString("type", "string");
            json.WriteStartArray("enum");
            foreach (var name in SettingValues.EnumNames(type))
            {
                json.WriteStringValue(name);
            }

            json.WriteEndArray();
            if (defaultValue is not null)
            {
                json.WriteString("default", defaultValue.ToString()!.ToLowerInvariant());
            }

            return;
        }

        switch (defaultValue)
        {
            case bool flag:
                json.WriteString("type", "boolean");
                json.WriteBoolean("default", flag);
                return;
            case int or long:
                json.WriteString("type", "integer");
                json.WriteNumber("default", Convert.ToInt64(defaultValue, CultureInfo.InvariantCulture));
                return;
            case double number:
                json.WriteString("type", "number");
                json.WriteNumber("default", number);
                return;
        }

        json.WriteString("type", "string");
        if (type == typeof(Uri))
        {
            json.WriteString("format", "uri");
        }

        if (defaultValue is string or Uri && defaultValue.ToString() is { Length: > 0 } text)
        {
            json.WriteString("default", text);
        }
    }

    private static void WriteCommonDefinitions(Utf8JsonWriter json)
    {
        OneOf(json, "duration", "A number of seconds (30, 0.25), or a duration as d.hh:mm:ss.fff (00:05:00, 3.00:00:00).",
            Typed("number"),
            j =>
            {
                j.WriteString("type", "string");
                j.WriteString("pattern", @"^-?(\d+\.)?\d{1,2}:\d{2}(:\d{2}(\.\d{1,7})?)?$|^-?\d+(\.\d+)?$");
            });
        OneOf(json, "secret", "The secret itself, or { \"File\": path } to read it from a file (Docker and Kubernetes secrets); never shown in errors.",
            Typed("string"),
            j => Object(j, [SettingsBinder.FileKey], (SettingsBinder.FileKey, k => Described(k, "string", "The file that holds the secret; its trailing line break is ignored."))));
        OneOf(json, "stringList", "A list of strings, or one string with the items separated by commas (handy in environment variables).",
            j => ArrayOf(j, Typed("string")),
            Typed("string"));
        OneOf(json, "appSecrets", "The Meta app secrets signatures are checked with: \"APP_ID:SECRET\" or \"SECRET\" strings, or { \"AppId\", \"Secret\" } objects whose Secret may be { \"File\": path }.",
            j => ArrayOf(j, item =>
            {
                item.WriteStartArray("oneOf");
                Item(item, Typed("string"));
                Item(item, o => Object(
                    o,
                    ["Secret"],
                    ("AppId", k => Described(k, "string", "The Meta app id, recorded with each delivery this secret verifies.")),
                    ("Secret", k => k.WriteString("$ref", "#/$defs/secret"))));
                item.WriteEndArray();
            }),
            Typed("string"));
    }

    private static Action<Utf8JsonWriter> Typed(string type) => j => j.WriteString("type", type);

    private static void Described(Utf8JsonWriter json, string type, string description)
    {
        json.WriteString("type", type);
        json.WriteString("description", description);
    }

    /// <summary>A named definition that is one of several shapes.</summary>
    private static void OneOf(Utf8JsonWriter json, string name, string description, params Action<Utf8JsonWriter>[] shapes)
    {
        json.WriteStartObject(name);
        json.WriteString("description", description);
        json.WriteStartArray("oneOf");
        foreach (var shape in shapes)
        {
            Item(json, shape);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Item(Utf8JsonWriter json, Action<Utf8JsonWriter> shape)
    {
        json.WriteStartObject();
        shape(json);
        json.WriteEndObject();
    }

    private static void ArrayOf(Utf8JsonWriter json, Action<Utf8JsonWriter> items)
    {
        json.WriteString("type", "array");
        json.WriteStartObject("items");
        items(json);
        json.WriteEndObject();
    }

    /// <summary>An object with exactly these properties, of which <paramref name="required"/> must be there.</summary>
    private static void Object(Utf8JsonWriter json, string[] required, params (string Name, Action<Utf8JsonWriter> Shape)[] properties)
    {
        json.WriteString("type", "object");
        json.WriteBoolean("additionalProperties", false);
        json.WriteStartArray("required");
        foreach (var name in required)
        {
            json.WriteStringValue(name);
        }

        json.WriteEndArray();
        json.WriteStartObject("properties");
        foreach (var (name, shape) in properties)
        {
            json.WriteStartObject(name);
            shape(json);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }
}
