using System.Xml.Linq;

namespace WabaHooks.Hosting.Tests.Architecture;

/// <summary>One project file's declared references.</summary>
/// <param name="Name">The project's name: its file name without <c>.csproj</c>.</param>
/// <param name="Projects">The projects it references, by name.</param>
/// <param name="Packages">The packages it references, except build-only ones (<c>PrivateAssets="all"</c>: analyzers).</param>
/// <param name="Frameworks">The shared frameworks it references (<c>FrameworkReference</c>).</param>
internal sealed record ProjectFile(string Name, IReadOnlySet<string> Projects, IReadOnlySet<string> Packages, IReadOnlySet<string> Frameworks);

/// <summary>
/// The repository's projects and the references their files declare, read from the <c>.csproj</c> files themselves: a
/// reference that is declared but not used in code (so absent from the compiled assembly) still counts.
/// </summary>
internal sealed class ProjectGraph
{
    private static readonly string[] Folders = ["src", "tests", "samples", "bench"];

    private readonly Dictionary<string, ProjectFile> _projects;

    private ProjectGraph(Dictionary<string, ProjectFile> projects) => _projects = projects;

    public IReadOnlyCollection<ProjectFile> Projects => _projects.Values;

    /// <summary>Every project under <c>src</c>, <c>tests</c>, <c>samples</c> and <c>bench</c> of <paramref name="root"/>.</summary>
    public static ProjectGraph Load(string root)
    {
        var projects = new Dictionary<string, ProjectFile>(StringComparer.Ordinal);
        foreach (var folder in Folders.Select(f => Path.Combine(root, f)).Where(Directory.Exists))
        {
            foreach (var path in Directory.EnumerateFiles(folder, "*.csproj", SearchOption.AllDirectories)
                .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj")))
            {
                var file = Read(path);
                projects.Add(file.Name, file);
            }
        }

        return new ProjectGraph(projects);
    }

    /// <summary>The repository holding this test: the nearest folder above it with <c>WabaHooks.slnx</c>.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WabaHooks.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No WabaHooks.slnx above {AppContext.BaseDirectory}.");
    }

    public ProjectFile this[string name] =>
        _projects.TryGetValue(name, out var project) ? project : throw new KeyNotFoundException($"No project {name}.csproj in the repository.");

    /// <summary>
    /// What <paramref name="name"/> references directly and through the projects it references: project names, package
    /// ids and framework names, as the build would make them available to it.
    /// </summary>
    public IReadOnlySet<string> Closure(string name)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var references = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([name]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current))
            {
                continue;
            }

            var project = this[current];
            references.UnionWith(project.Packages);
            references.UnionWith(project.Frameworks);
            foreach (var referenced in project.Projects)
            {
                references.Add(referenced);
                pending.Push(referenced);
            }
        }

        return references;
    }

    private static ProjectFile Read(string path)
    {
        var items = XDocument.Load(path).Descendants().Where(e => e.Parent?.Name.LocalName == "ItemGroup").ToList();
        HashSet<string> Includes(string kind, Func<XElement, bool>? keep = null) =>
            items.Where(e => e.Name.LocalName == kind && (keep is null || keep(e)))
                .Select(e => (string?)e.Attribute("Include"))
                .OfType<string>()
                .ToHashSet(StringComparer.Ordinal);

        var projects = Includes("ProjectReference").Select(p => Path.GetFileNameWithoutExtension(p.Replace('\\', '/'))).ToHashSet(StringComparer.Ordinal);
        var packages = Includes("PackageReference", e => !string.Equals((string?)e.Attribute("PrivateAssets") ?? (string?)e.Element(e.Name.Namespace + "PrivateAssets"), "all", StringComparison.OrdinalIgnoreCase));
        return new ProjectFile(Path.GetFileNameWithoutExtension(path), projects, packages, Includes("FrameworkReference"));
    }
}
