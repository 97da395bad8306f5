using System.Text;
using WabaHooks.Signatures;

namespace WabaHooks.LoadHarness;

/// <summary>A wrk Lua script that posts the example payloads in turn, each pre-signed, so the client does no crypto.</summary>
internal static class WrkScript
{
    public static string Write(string payloadDirectory, string secret, string path, string outputFile)
    {
        var files = Directory.GetFiles(payloadDirectory, "*.json").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new InvalidOperationException($"No payloads in {payloadDirectory}.");
        }

        var lua = new StringBuilder();
        lua.AppendLine("local bodies = {}");
        lua.AppendLine("local signatures = {}");
        foreach (var file in files)
        {
            var body = File.ReadAllBytes(file);
            var text = Encoding.UTF8.GetString(body);
            if (text.Contains("]=====]", StringComparison.Ordinal) || !Encoding.UTF8.GetBytes(text).AsSpan().SequenceEqual(body))
            {
                continue;
            }

            // A long bracket keeps the bytes verbatim; the leading newline is dropped by Lua, so add one.
            lua.Append("bodies[#bodies + 1] = [=====[\n").Append(text).AppendLine("]=====]");
            lua.Append("signatures[#signatures + 1] = \"").Append(WebhookSignature.Sign(body, secret)).AppendLine("\"");
        }

        lua.AppendLine("local i = 0");
        lua.AppendLine("request = function()");
        lua.AppendLine("  i = i % #bodies + 1");
        lua.Append("  return wrk.format(\"POST\", \"").Append(path).AppendLine("\", { [\"Content-Type\"] = \"application/json\", [\"X-Hub-Signature-256\"] = signatures[i] }, bodies[i])");
        lua.AppendLine("end");
        lua.AppendLine("local non200 = 0");
        lua.AppendLine("response = function(status, headers, body) if status ~= 200 then non200 = non200 + 1 end end");
        File.WriteAllText(outputFile, lua.ToString());
        return outputFile;
    }
}
