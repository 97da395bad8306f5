using System.Text.Json;
using WabaHooks.Dashboard.Views;

namespace WabaHooks.Dashboard.Queries;

/// <summary>Reads the <c>errors</c> array of a status (or a value) and explains each code.</summary>
internal static class StatusErrors
{
    public static IReadOnlyList<MetaError> Read(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            var list = new List<MetaError>();
            foreach (var error in errors.EnumerateArray())
            {
                if (error.ValueKind != JsonValueKind.Object || !error.TryGetProperty("code", out var c) || !c.TryGetInt32(out var code))
                {
                    continue;
                }

                var title = error.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                var details = error.TryGetProperty("error_data", out var d) && d.ValueKind == JsonValueKind.Object &&
                    d.TryGetProperty("details", out var dd) && dd.ValueKind == JsonValueKind.String ? dd.GetString() : null;
                list.Add(new MetaError(code, title, details, MetaErrorCodes.Explain(code)));
            }

            return list;
        }
        catch (JsonException)
        {
            // A status whose JSON does not parse still shows in the timeline, without its errors.
            return [];
        }
    }
}
