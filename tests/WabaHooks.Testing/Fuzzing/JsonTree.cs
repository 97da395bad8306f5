using System.Text.Json;

namespace WabaHooks.Testing.Fuzzing;

/// <summary>
/// A JSON value kept as raw bytes, so the mutator can write what a JSON library would refuse to: duplicate keys, lone
/// surrogate escapes, invalid UTF-8 inside strings and names, numbers no type can hold.
/// </summary>
internal abstract class JsonTree
{
    /// <summary>Reads a well-formed template; strings, names and numbers keep their exact (escaped) bytes.</summary>
    public static JsonTree Parse(byte[] json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 1024 });
        reader.Read();
        return ReadValue(ref reader);
    }

    public abstract void WriteTo(List<byte> output);

    public abstract JsonTree Clone();

    public byte[] ToBytes()
    {
        var output = new List<byte>(4096);
        WriteTo(output);
        return [.. output];
    }

    private static JsonTree ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var obj = new JsonObjectTree();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var name = reader.ValueSpan.ToArray();
                    reader.Read();
                    obj.Properties.Add(new JsonPropertyTree(name, ReadValue(ref reader)));
                }

                return obj;
            case JsonTokenType.StartArray:
                var array = new JsonArrayTree();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    array.Items.Add(ReadValue(ref reader));
                }

                return array;
            case JsonTokenType.String:
                return new JsonStringTree(reader.ValueSpan.ToArray());
            default:
                // Numbers, true, false, null: their token as written.
                return new JsonTokenTree(reader.ValueSpan.ToArray());
        }
    }
}

/// <summary>An object whose properties are a list, so a name may repeat.</summary>
internal sealed class JsonObjectTree : JsonTree
{
    public List<JsonPropertyTree> Properties { get; } = [];

    public override void WriteTo(List<byte> output)
    {
        output.Add((byte)'{');
        for (var i = 0; i < Properties.Count; i++)
        {
            if (i > 0)
            {
                output.Add((byte)',');
            }

            output.Add((byte)'"');
            output.AddRange(Properties[i].Name);
            output.Add((byte)'"');
            output.Add((byte)':');
            Properties[i].Value.WriteTo(output);
        }

        output.Add((byte)'}');
    }

    public override JsonTree Clone()
    {
        var copy = new JsonObjectTree();
        copy.Properties.AddRange(Properties.Select(p => new JsonPropertyTree(p.Name, p.Value.Clone())));
        return copy;
    }
}

/// <summary>A property: its name's raw bytes between the quotes, escapes as written, and its value.</summary>
internal sealed class JsonPropertyTree(byte[] name, JsonTree value)
{
    public byte[] Name { get; set; } = name;

    public JsonTree Value { get; set; } = value;
}

internal sealed class JsonArrayTree : JsonTree
{
    public List<JsonTree> Items { get; } = [];

    public override void WriteTo(List<byte> output)
    {
        output.Add((byte)'[');
        for (var i = 0; i < Items.Count; i++)
        {
            if (i > 0)
            {
                output.Add((byte)',');
            }

            Items[i].WriteTo(output);
        }

        output.Add((byte)']');
    }

    public override JsonTree Clone()
    {
        var copy = new JsonArrayTree();
        copy.Items.AddRange(Items.Select(i => i.Clone()));
        return copy;
    }
}

/// <summary>A string: the raw bytes between the quotes, escapes as written.</summary>
internal sealed class JsonStringTree(byte[] raw) : JsonTree
{
    public byte[] Raw { get; set; } = raw;

    public override void WriteTo(List<byte> output)
    {
        output.Add((byte)'"');
        output.AddRange(Raw);
        output.Add((byte)'"');
    }

    public override JsonTree Clone() => new JsonStringTree(Raw);
}

/// <summary>A number or literal, written as its raw token (which may be any bytes at all once mutated).</summary>
internal sealed class JsonTokenTree(byte[] raw) : JsonTree
{
    public byte[] Raw { get; set; } = raw;

    public override void WriteTo(List<byte> output) => output.AddRange(Raw);

    public override JsonTree Clone() => new JsonTokenTree(Raw);
}
