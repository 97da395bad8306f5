using System.Text.Json;

namespace WabaHooks.Testing.Graph;

/// <summary>One request as the <see cref="GraphStub"/> received it.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, escaped as sent.</param>
/// <param name="Query">The query parameters.</param>
/// <param name="Form">The form fields of an <c>application/x-www-form-urlencoded</c> body; empty otherwise.</param>
/// <param name="ContentType">The body's content type, if any.</param>
/// <param name="Body">The body as text; empty when there was none.</param>
/// <param name="Authorization">The <c>Authorization</c> header, if any.</param>
public sealed record GraphRequest(
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
