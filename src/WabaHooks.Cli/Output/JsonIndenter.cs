using System.Text;

namespace WabaHooks.Cli.Output;

/// <summary>
/// Re-indents JSON text by moving whitespace between tokens only. A serializer round trip would re-escape strings
/// (<c>+</c> becomes <c>\u002B</c>, escapes Meta sent get decoded), so the printed text would no longer be what was
/// received; here every token keeps its exact characters.
/// </summary>
internal static class JsonIndenter
{
    private const string Indent = "  ";

    public static string Indented(string json)
    {
        var output = new StringBuilder(json.Length);
        var depth = 0;
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                output.Append(c);
                if (c == '\\' && i + 1 < json.Length)
                {
                    output.Append(json[++i]);
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    output.Append(c);
                    break;
                case '{' or '[':
                    output.Append(c);
                    var next = NextToken(json, i + 1);
                    if (next < json.Length && json[next] is '}' or ']')
                    {
                        // An empty object or array stays on one line.
                        output.Append(json[next]);
                        i = next;
                    }
                    else
                    {
                        NewLine(output, ++depth);
                    }

                    break;
                case '}' or ']':
                    NewLine(output, --depth);
                    output.Append(c);
                    break;
                case ',':
                    output.Append(c);
                    NewLine(output, depth);
                    break;
                case ':':
                    output.Append(": ");
                    break;
                case ' ' or '\t' or '\r' or '\n':
                    break;
                default:
                    output.Append(c);
                    break;
            }
        }

        return output.ToString();
    }

    private static int NextToken(string json, int from)
    {
        while (from < json.Length && json[from] is ' ' or '\t' or '\r' or '\n')
        {
            from++;
        }

        return from;
    }

    private static void NewLine(StringBuilder output, int depth)
    {
        output.Append('\n');
        for (var d = 0; d < depth; d++)
        {
            output.Append(Indent);
        }
    }
}
