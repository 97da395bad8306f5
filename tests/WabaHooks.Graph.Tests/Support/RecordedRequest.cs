using System.Text.Json;

namespace WabaHooks.Graph.Tests.Support;

/// <summary>One request as the Graph stub received it.</summary>
internal sealed record RecordedRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Form,
    string? ContentType,
    string Body,
    string? Authorization)
{
    /// <summary>The body parsed as JSON; fails the test when it is not JSON.</summary>
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }

    /// <summary>A parameter from the query or the form, as Graph reads both.</summary>
    public string? Parameter(string name) =>
        Query.TryGetValue(name, out var fromQuery) ? fromQuery : Form.TryGetValue(name, out var fromForm) ? fromForm : null;
}
