using System.Globalization;
using System.Text;

namespace WabaHooks.Testing.Fuzzing;

/// <summary>One mutated body, with what was done to it, so a failure can be reproduced and read.</summary>
/// <param name="Seed">The run's seed.</param>
/// <param name="Index">The case's number in the run; with <paramref name="Seed"/> it gives the same body again.</param>
/// <param name="Template">The example payload it started from.</param>
/// <param name="Mutations">What was done, in order, with the JSON path where it was done.</param>
/// <param name="Body">The bytes to post.</param>
public sealed record FuzzCase(int Seed, int Index, string Template, IReadOnlyList<string> Mutations, byte[] Body)
{
    /// <summary>Everything needed to reproduce the case, for a failure message.</summary>
    /// <remarks>
    /// Bodies up to 4 KiB are printed whole; a longer one (a very long string) would drown the report, and
    /// <c>bash bench/fuzz.sh --seed S --case N</c> writes it out again.
    /// </remarks>
    public string Describe() =>
        $"seed {Seed}, case {Index}, from {Template}: {string.Join("; ", Mutations)}; body ({Body.Length} bytes" +
        (Body.Length <= 4096 ? $", base64): {Convert.ToBase64String(Body)}" : $"; bash bench/fuzz.sh --seed {Seed} --case {Index} writes it)");
}

/// <summary>
/// Mutates the example payloads deterministically: each case's <see cref="Random"/> is seeded from the run's seed and
/// the case's index, so one case can be made again without replaying the run before it, and the same seed gives the
/// same bodies on every machine (<see cref="Random(int)"/> with a seed is a fixed algorithm).
/// </summary>
/// <remarks>
/// Most cases get one to three structural mutations at a random place in the tree (a type swap, a property removed, a
/// huge number, a duplicate key, a lone surrogate escape or a raw invalid UTF-8 byte in a string or a name, deep nesting,
/// an empty, very long or odd string, another field's name) and some get a byte-level one on top (bit flips, a
/// truncation, a spliced range), which mostly yields JSON that does not parse. Half of the cases suffix every <c>id</c>
/// with the case's index first, so their events are new rather than duplicates of the template's.
/// </remarks>
public sealed class PayloadMutator
{
    private static readonly string[] OddStrings =
    [
        "", " ", "null", "true", "0", "-1", "1e309", "NaN", "read", "READ", "sent", "failed", "deleted", "unknown", "played",
        "messages", "statuses", "whatsapp_business_account", "\\u0000", "\\\\", "\\\"", "\\/", "\\n\\t\\r", "😀", "\\ud83d\\ude00",
        "Ω≈ç√", "wamid.", "msg:", "status:", "sha256:", "%s%n%x", "../../../etc/passwd", "<script>", "'; DROP TABLE events;--",
    ];

    private static readonly string[] HugeNumbers =
    [
        "1e400", "-1e400", "1.7976931348623157e309", "123456789012345678901234567890123456789", "9223372036854775808",
        "-9223372036854775809", "18446744073709551616", "4294967296", "-0", "0.000000000000000000000000000000000001e-400",
        "1E+999999999", "2147483648", "-2147483649", "1.5", "-1", "0",
    ];

    private readonly int _seed;
    private readonly IReadOnlyList<(string Name, JsonTree Tree)> _templates;
    private readonly string[] _fields;
    private readonly long _maxBodyBytes;

    /// <param name="seed">The run's seed.</param>
    /// <param name="templates">The example payloads by name: well-formed JSON.</param>
    /// <param name="maxBodyBytes">The gateway's body limit: a rare case is made just larger, to prove 413 for it alone.</param>
    public PayloadMutator(int seed, IEnumerable<(string Name, byte[] Body)> templates, long maxBodyBytes)
    {
        ArgumentNullException.ThrowIfNull(templates);
        _seed = seed;
        _templates = [.. templates.Select(t => (t.Name, JsonTree.Parse(t.Body)))];
        if (_templates.Count == 0)
        {
            throw new ArgumentException("No templates to mutate.", nameof(templates));
        }

        _maxBodyBytes = maxBodyBytes;
        _fields = [.. _templates.SelectMany(t => FieldNames(t.Tree)).Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>Reads every <c>*.json</c> file of a folder as a template, sorted by name so the run does not depend on the file system's order.</summary>
    public static IEnumerable<(string Name, byte[] Body)> ReadTemplates(string directory) =>
        Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), File.ReadAllBytes(f)));

    /// <summary>The case with this index: the same bytes for the same seed, templates and index, every time.</summary>
    public FuzzCase Make(int index)
    {
        var random = new Random(unchecked((_seed * 1_000_003) + index));
        var (name, template) = _templates[random.Next(_templates.Count)];
        var tree = template.Clone();
        var mutations = new List<string>();

        if (random.Next(4000) == 0)
        {
            // Over the limit: the one answer besides 200 a validly signed body may get.
            var padding = new byte[(int)_maxBodyBytes + 1 - tree.ToBytes().Length + random.Next(64) + 16];
            Array.Fill(padding, (byte)'x');
            ((JsonObjectTree)tree).Properties.Add(new JsonPropertyTree("padding"u8.ToArray(), new JsonStringTree(padding)));
            mutations.Add($"padded over the {_maxBodyBytes}-byte limit");
            return new FuzzCase(_seed, index, name, mutations, tree.ToBytes());
        }

        if (random.Next(2) == 0)
        {
            SuffixIds(tree, "-f" + index.ToString(CultureInfo.InvariantCulture));
            mutations.Add("ids suffixed");
        }

        var byteLevelOnly = random.Next(10) == 0;
        if (!byteLevelOnly)
        {
            var count = 1 + random.Next(3);
            for (var i = 0; i < count; i++)
            {
                mutations.Add(MutateTree(random, ref tree));
            }
        }

        var body = tree.ToBytes();
        if (byteLevelOnly || random.Next(5) == 0)
        {
            body = MutateBytes(random, body, mutations);
        }

        return new FuzzCase(_seed, index, name, mutations, body);
    }

    private string MutateTree(Random random, ref JsonTree tree)
    {
        var slots = new List<Slot>();
        var root = tree;
        Collect(tree, null, "$", slots, v => root = v);
        var slot = slots[random.Next(slots.Count)];
        string result;
        switch (random.Next(12))
        {
            case 0:
            case 1:
                // Type swaps are what found most of the defects in the probe; give them a double share.
                var swapped = RandomValueOtherThan(random, slot.Value);
                slot.Replace(swapped);
                result = $"type swap at {slot.Path} to {Preview(swapped)}";
                break;
            case 2:
                result = RemoveProperty(random, slots);
                break;
            case 3:
                var huge = HugeNumbers[random.Next(HugeNumbers.Length)];
                slot.Replace(new JsonTokenTree(Encoding.ASCII.GetBytes(huge)));
                result = $"number {huge} at {slot.Path}";
                break;
            case 4:
                result = DuplicateKey(random, slots);
                break;
            case 5:
                result = InsertIntoText(random, slots, LoneSurrogate(random), "lone surrogate");
                break;
            case 6:
                result = InsertIntoText(random, slots, InvalidUtf8(random), "invalid UTF-8");
                break;
            case 7:
                // One deep nesting per body: a second one inside the first would only test this mutator's stack.
                var depth = slots.Count > 1000 ? 10 : new[] { 10, 200, 255, 256, 257, 1000, 5000 }[random.Next(7)];
                slot.Replace(Nest(random, depth));
                result = $"nesting {depth} deep at {slot.Path}";
                break;
            case 8:
                result = ReplaceString(random, slots, random.Next(3) == 0 ? LongString(random) : Encoding.UTF8.GetBytes(OddStrings[random.Next(OddStrings.Length)]));
                break;
            case 9:
                result = ReplaceString(random, slots, []);
                break;
            case 10:
                result = SwapField(random, slots);
                break;
            default:
                result = DropArrayItem(random, slots);
                break;
        }

        tree = root;
        return result;
    }

    private static string RemoveProperty(Random random, List<Slot> slots)
    {
        var objects = slots.Where(s => s.Value is JsonObjectTree { Properties.Count: > 0 }).ToList();
        if (objects.Count == 0)
        {
            return "no property to remove";
        }

        var target = objects[random.Next(objects.Count)];
        var properties = ((JsonObjectTree)target.Value).Properties;
        var at = random.Next(properties.Count);
        var name = Encoding.UTF8.GetString(properties[at].Name);
        properties.RemoveAt(at);
        return $"removed {target.Path}.{name}";
    }

    private string DuplicateKey(Random random, List<Slot> slots)
    {
        var objects = slots.Where(s => s.Value is JsonObjectTree { Properties.Count: > 0 }).ToList();
        if (objects.Count == 0)
        {
            return "no key to duplicate";
        }

        var target = objects[random.Next(objects.Count)];
        var properties = ((JsonObjectTree)target.Value).Properties;
        var original = properties[random.Next(properties.Count)];
        var value = random.Next(2) == 0 ? original.Value.Clone() : RandomValueOtherThan(random, original.Value);
        var at = random.Next(properties.Count + 1);
        properties.Insert(at, new JsonPropertyTree(original.Name, value));
        return $"duplicate key {target.Path}.{Encoding.UTF8.GetString(original.Name)} = {Preview(value)} at position {at}";
    }

    private static string InsertIntoText(Random random, List<Slot> slots, byte[] insert, string what)
    {
        // Names as well as values: the probe's worst cases were a surrogate in a field name and in an entry id.
        var texts = new List<(string Path, Func<byte[]> Get, Action<byte[]> Set)>();
        foreach (var slot in slots)
        {
            if (slot.Value is JsonStringTree s)
            {
                texts.Add((slot.Path, () => s.Raw, v => s.Raw = v));
            }
            else if (slot.Value is JsonObjectTree o)
            {
                foreach (var p in o.Properties)
                {
                    texts.Add(($"{slot.Path} name {Encoding.UTF8.GetString(p.Name)}", () => p.Name, v => p.Name = v));
                }
            }
        }

        if (texts.Count == 0)
        {
            return $"no text for {what}";
        }

        var (path, get, set) = texts[random.Next(texts.Count)];
        var raw = get();
        // At the end (where the probe found ids break), at the start, or inside — never inside an escape sequence.
        var at = random.Next(3) switch { 0 => raw.Length, 1 => 0, _ => SafeInsertPoint(random, raw) };
        set([.. raw.AsSpan(0, at), .. insert, .. raw.AsSpan(at)]);
        return $"{what} {Convert.ToHexString(insert)} into {path} at {at}";
    }

    private static int SafeInsertPoint(Random random, byte[] raw)
    {
        var at = raw.Length == 0 ? 0 : random.Next(raw.Length + 1);
        // Step back to a character boundary outside any escape: before a backslash run or a UTF-8 continuation byte.
        while (at > 0 && at < raw.Length && ((raw[at] & 0xC0) == 0x80 || raw.AsSpan(Math.Max(0, at - 6), Math.Min(6, at)).Contains((byte)'\\')))
        {
            at--;
        }

        return at;
    }

    private static string ReplaceString(Random random, List<Slot> slots, byte[] value)
    {
        var strings = slots.Where(s => s.Value is JsonStringTree).ToList();
        if (strings.Count == 0)
        {
            return "no string to replace";
        }

        var target = strings[random.Next(strings.Count)];
        ((JsonStringTree)target.Value).Raw = value;
        return $"string at {target.Path} = {(value.Length > 40 ? $"{value.Length} bytes" : "\"" + Encoding.UTF8.GetString(value) + "\"")}";
    }

    private string SwapField(Random random, List<Slot> slots)
    {
        // Another field's name over this change's value: the splitter then reads the value with the wrong model.
        var fields = slots.Where(s => s.Segment == ".field" && s.Value is JsonStringTree).ToList();
        if (fields.Count == 0 || _fields.Length == 0)
        {
            return "no field to swap";
        }

        var target = fields[random.Next(fields.Count)];
        var field = _fields[random.Next(_fields.Length)];
        ((JsonStringTree)target.Value).Raw = Encoding.UTF8.GetBytes(field);
        return $"{target.Path} = {field}";
    }

    private static string DropArrayItem(Random random, List<Slot> slots)
    {
        var arrays = slots.Where(s => s.Value is JsonArrayTree { Items.Count: > 0 }).ToList();
        if (arrays.Count == 0)
        {
            return "no array item to drop";
        }

        var target = arrays[random.Next(arrays.Count)];
        var items = ((JsonArrayTree)target.Value).Items;
        if (random.Next(2) == 0)
        {
            var at = random.Next(items.Count);
            items.RemoveAt(at);
            return $"dropped {target.Path}[{at}]";
        }

        // Repeat an item: the same message or status twice in one delivery.
        var copy = items[random.Next(items.Count)].Clone();
        items.Add(copy);
        return $"repeated an item of {target.Path}";
    }

    private static byte[] MutateBytes(Random random, byte[] body, List<string> mutations)
    {
        switch (random.Next(4))
        {
            case 0:
                var flips = 1 + random.Next(8);
                var flipped = (byte[])body.Clone();
                var positions = new List<int>();
                for (var i = 0; i < flips && flipped.Length > 0; i++)
                {
                    var at = random.Next(flipped.Length);
                    flipped[at] ^= (byte)(1 << random.Next(8));
                    positions.Add(at);
                }

                mutations.Add($"bit flips at {string.Join(",", positions)}");
                return flipped;
            case 1:
                var length = random.Next(body.Length);
                mutations.Add($"truncated to {length}");
                return body[..length];
            case 2:
                var insertAt = random.Next(body.Length + 1);
                var inserted = new byte[1 + random.Next(8)];
                random.NextBytes(inserted);
                mutations.Add($"inserted {Convert.ToHexString(inserted)} at {insertAt}");
                return [.. body.AsSpan(0, insertAt), .. inserted, .. body.AsSpan(insertAt)];
            default:
                var from = random.Next(body.Length);
                var count = Math.Min(body.Length - from, 1 + random.Next(64));
                var to = random.Next(body.Length + 1);
                mutations.Add($"copied {count} bytes from {from} to {to}");
                return [.. body.AsSpan(0, to), .. body.AsSpan(from, count), .. body.AsSpan(to)];
        }
    }

    private static JsonTree RandomValueOtherThan(Random random, JsonTree current)
    {
        while (true)
        {
            JsonTree candidate = random.Next(8) switch
            {
                0 => new JsonStringTree(Encoding.UTF8.GetBytes(OddStrings[random.Next(OddStrings.Length)])),
                1 => new JsonTokenTree(Encoding.ASCII.GetBytes(random.Next(3) == 0 ? HugeNumbers[random.Next(HugeNumbers.Length)] : random.Next(-5, 100).ToString(CultureInfo.InvariantCulture))),
                2 => new JsonTokenTree("null"u8.ToArray()),
                3 => new JsonTokenTree(random.Next(2) == 0 ? "true"u8.ToArray() : "false"u8.ToArray()),
                4 => new JsonObjectTree(),
                5 => new JsonArrayTree(),
                6 => ObjectWith(current.Clone()),
                _ => ArrayWith(current.Clone()),
            };
            if (KindOf(candidate) != KindOf(current) || candidate is JsonObjectTree { Properties.Count: > 0 } || candidate is JsonArrayTree { Items.Count: > 0 })
            {
                return candidate;
            }
        }
    }

    private static JsonObjectTree ObjectWith(JsonTree value)
    {
        var obj = new JsonObjectTree();
        obj.Properties.Add(new JsonPropertyTree("value"u8.ToArray(), value));
        return obj;
    }

    private static JsonArrayTree ArrayWith(JsonTree value)
    {
        var array = new JsonArrayTree();
        array.Items.Add(value);
        return array;
    }

    private static string KindOf(JsonTree value) => value switch
    {
        JsonObjectTree => "object",
        JsonArrayTree => "array",
        JsonStringTree => "string",
        JsonTokenTree t when t.Raw.AsSpan().SequenceEqual("null"u8) => "null",
        JsonTokenTree t when t.Raw.AsSpan().SequenceEqual("true"u8) || t.Raw.AsSpan().SequenceEqual("false"u8) => "bool",
        _ => "number",
    };

    private static JsonTree Nest(Random random, int depth)
    {
        JsonTree inner = new JsonTokenTree("1"u8.ToArray());
        var objects = random.Next(2) == 0;
        for (var i = 0; i < depth; i++)
        {
            inner = objects ? ObjectWith(inner) : ArrayWith(inner);
        }

        return inner;
    }

    private static byte[] LoneSurrogate(Random random) => random.Next(4) switch
    {
        0 => "\\ud800"u8.ToArray(),
        1 => "\\udc00"u8.ToArray(),
        2 => "\\ud83d"u8.ToArray(),
        _ => "\\udfff\\ud800"u8.ToArray(),
    };

    private static byte[] InvalidUtf8(Random random) => random.Next(6) switch
    {
        0 => [0xA7],
        1 => [0xFF],
        2 => [0xC3],
        3 => [0xED, 0xA0, 0x80],
        4 => [0xF8, 0x88, 0x80, 0x80, 0x80],
        _ => [0xC0, 0xAF],
    };

    private static byte[] LongString(Random random)
    {
        var length = random.Next(16) == 0 ? 100_000 + random.Next(400_000) : 1_000 + random.Next(20_000);
        var text = new byte[length];
        Array.Fill(text, (byte)('a' + random.Next(26)));
        return text;
    }

    private static void SuffixIds(JsonTree tree, string suffix)
    {
        switch (tree)
        {
            case JsonObjectTree o:
                foreach (var p in o.Properties)
                {
                    if (p.Name.AsSpan().SequenceEqual("id"u8) && p.Value is JsonStringTree s)
                    {
                        s.Raw = [.. s.Raw, .. Encoding.ASCII.GetBytes(suffix)];
                    }
                    else
                    {
                        SuffixIds(p.Value, suffix);
                    }
                }

                break;
            case JsonArrayTree a:
                foreach (var item in a.Items)
                {
                    SuffixIds(item, suffix);
                }

                break;
        }
    }

    private static IEnumerable<string> FieldNames(JsonTree tree)
    {
        var slots = new List<Slot>();
        Collect(tree, null, "$", slots, _ => { });
        return slots.Where(s => s.Segment == ".field" && s.Value is JsonStringTree)
            .Select(s => Encoding.UTF8.GetString(((JsonStringTree)s.Value).Raw));
    }

    private static void Collect(JsonTree value, Slot? parent, string segment, List<Slot> slots, Action<JsonTree> replace)
    {
        var slot = new Slot(parent, segment, value, replace);
        slots.Add(slot);
        switch (value)
        {
            case JsonObjectTree o:
                foreach (var p in o.Properties)
                {
                    Collect(p.Value, slot, "." + Encoding.UTF8.GetString(p.Name), slots, v => p.Value = v);
                }

                break;
            case JsonArrayTree a:
                for (var i = 0; i < a.Items.Count; i++)
                {
                    var at = i;
                    Collect(a.Items[i], slot, $"[{i}]", slots, v => a.Items[at] = v);
                }

                break;
        }
    }

    private static string Preview(JsonTree value)
    {
        var bytes = value.ToBytes();
        return bytes.Length > 40 ? $"{KindOf(value)} of {bytes.Length} bytes" : Encoding.UTF8.GetString(bytes);
    }

    /// <summary>
    /// A place in the tree. Its path is built only when asked for: built eagerly, every slot of a 5,000-deep nesting
    /// would hold a path of thousands of segments, quadratic in time and memory.
    /// </summary>
    private sealed record Slot(Slot? Parent, string Segment, JsonTree Value, Action<JsonTree> Replace)
    {
        public string Path
        {
            get
            {
                var segments = new List<string>();
                for (var slot = this; slot is not null; slot = slot.Parent)
                {
                    segments.Add(slot.Segment);
                    if (segments.Count > 12)
                    {
                        // Deep in a nesting: the last few segments say where.
                        segments.Add("…");
                        break;
                    }
                }

                segments.Reverse();
                return string.Concat(segments);
            }
        }
    }
}
