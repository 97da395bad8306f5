using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace WabaHooks.Hosting.Configuration;

/// <summary>
/// The summaries in the XML documentation files beside the assemblies, as plain sentences, so the configuration schema
/// describes each setting in the words of its XML docs and cannot drift from them.
/// </summary>
internal sealed partial class XmlDocs
{
    private readonly Dictionary<Assembly, Dictionary<string, string>> _loaded = [];

    /// <summary>The summary of a property, or <see langword="null"/> when its assembly's documentation file is not there.</summary>
    public string? Of(PropertyInfo property) => Summary(property.DeclaringType!.Assembly, $"P:{property.DeclaringType.FullName}.{property.Name}");

    /// <summary>The summary of a type.</summary>
    public string? Of(Type type) => Summary(type.Assembly, $"T:{type.FullName}");

    private string? Summary(Assembly assembly, string member)
    {
        if (!_loaded.TryGetValue(assembly, out var members))
        {
            members = Load(assembly);
            _loaded[assembly] = members;
        }

        return members.GetValueOrDefault(member);
    }

    private static Dictionary<string, string> Load(Assembly assembly)
    {
        var file = Path.ChangeExtension(assembly.Location, ".xml");
        if (string.IsNullOrEmpty(assembly.Location) || !File.Exists(file))
        {
            return [];
        }

        return XDocument.Load(file).Descendants("member")
            .Where(m => m.Element("summary") is not null && m.Attribute("name") is not null)
            .ToDictionary(m => m.Attribute("name")!.Value, m => Plain(m.Element("summary")!), StringComparer.Ordinal);
    }

    /// <summary>The summary's text with its markup turned into words: <c>&lt;see cref="T:A.B"/&gt;</c> becomes <c>B</c>.</summary>
    private static string Plain(XElement summary)
    {
        var words = string.Concat(summary.Nodes().Select(Text));
        return Spaces().Replace(words, " ").Trim();
    }

    private static string Text(XNode node) => node switch
    {
        XText text => text.Value,
        XElement { Name.LocalName: "see" or "seealso" } see when see.Attribute("langword") is { } word => word.Value,
        XElement { Name.LocalName: "see" or "seealso" } see when see.Attribute("cref") is { } cref => see.Value.Length > 0 ? see.Value : Last(cref.Value),
        XElement { Name.LocalName: "paramref" or "typeparamref" } reference => reference.Attribute("name")?.Value ?? "",
        XElement element => string.Concat(element.Nodes().Select(Text)),
        _ => "",
    };

    private static string Last(string cref)
    {
        var name = cref.Contains('(', StringComparison.Ordinal) ? cref[..cref.IndexOf('(', StringComparison.Ordinal)] : cref;
        return name[(name.LastIndexOf('.') + 1)..].Replace("`1", "", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
