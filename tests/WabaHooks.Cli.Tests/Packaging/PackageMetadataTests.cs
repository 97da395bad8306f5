using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using WabaHooks.Testing;

namespace WabaHooks.Cli.Tests.Packaging;

/// <summary>Every library under src/ is a package a stranger can install and trust: metadata, README, license, symbols, Source Link.</summary>
public sealed partial class PackageMetadataTests(PackagesFixture packages) : IClassFixture<PackagesFixture>
{
    /// <summary>The Source Link custom debug information in a portable PDB (the format's documented GUID).</summary>
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    public static TheoryData<string> Projects => [.. PackagesFixture.SourceProjects];

    [Theory]
    [MemberData(nameof(Projects))]
    public void Each_source_project_is_a_package_with_complete_metadata(string project)
    {
        var id = project;
        var path = packages.Package(id);
        Assert.True(File.Exists(path), $"{Path.GetFileName(path)} was not packed ({packages.Origin}).");
        using var zip = ZipFile.OpenRead(path);
        var nuspec = Nuspec(zip, id);
        string Field(string name) => nuspec.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? "";

        Assert.Equal(id, Field("id"));
        Assert.Equal(PackagesFixture.Version, Field("version"));
        Assert.False(string.IsNullOrWhiteSpace(Field("description")) || Field("description") == "Package Description", $"{id} has no description: add <Description> to its project.");
        Assert.Equal("WabaHooks developers", Field("authors"));
        Assert.Contains("whatsapp", Field("tags").Split(' '));
        Assert.StartsWith("https://", Field("projectUrl"), StringComparison.Ordinal);

        var license = nuspec.Elements().Single(e => e.Name.LocalName == "license");
        Assert.Equal("expression", license.Attribute("type")?.Value);
        Assert.Equal("MIT", license.Value);

        var repository = nuspec.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.Equal("git", repository.Attribute("type")?.Value);
        Assert.StartsWith("https://", repository.Attribute("url")?.Value ?? "", StringComparison.Ordinal);
        Assert.Matches(CommitPattern(), repository.Attribute("commit")?.Value ?? "");

        Assert.Equal("README.md", Field("readme"));
        var readme = zip.GetEntry("README.md");
        Assert.NotNull(readme);
        Assert.True(readme.Length > 100, $"{id}'s README.md is nearly empty.");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Each_package_has_a_symbol_package_whose_pdb_maps_sources_to_the_repository(string project)
    {
        var path = packages.SymbolPackage(project);
        Assert.True(File.Exists(path), $"{Path.GetFileName(path)} was not packed ({packages.Origin}).");
        using var zip = ZipFile.OpenRead(path);
        var pdb = zip.Entries.SingleOrDefault(e => e.Name == project + ".pdb");
        Assert.NotNull(pdb);

        using var stream = new MemoryStream();
        using (var entry = pdb.Open())
        {
            entry.CopyTo(stream);
        }

        stream.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(stream);
        var reader = provider.GetMetadataReader();
        var sourceLink = reader.CustomDebugInformation
            .Select(reader.GetCustomDebugInformation)
            .Where(i => reader.GetGuid(i.Kind) == SourceLinkKind)
            .Select(i => System.Text.Encoding.UTF8.GetString(reader.GetBlobBytes(i.Value)))
            .SingleOrDefault();
        Assert.NotNull(sourceLink);
        Assert.Contains("https://raw.githubusercontent.com/", sourceLink, StringComparison.Ordinal);
    }

    [Fact]
    public void The_license_expression_is_the_repository_license()
    {
        var license = File.ReadAllText(RepositoryRoot.Combine("LICENSE"));
        Assert.StartsWith("MIT License", license, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_source_projects_are_packed()
    {
        var expected = PackagesFixture.SourceProjects.Select(p => $"{p}.{PackagesFixture.Version}").ToHashSet(StringComparer.Ordinal);
        var packed = Directory.GetFiles(packages.Folder, "*.nupkg").Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.All(packed, p => Assert.Contains(p!, expected));
    }

    [Fact]
    public void The_tool_package_installs_the_wabahooks_command()
    {
        using var zip = ZipFile.OpenRead(packages.Package("WabaHooks.Cli"));
        var nuspec = Nuspec(zip, "WabaHooks.Cli");
        var packageTypes = nuspec.Descendants().Where(e => e.Name.LocalName == "packageType").Select(e => e.Attribute("name")?.Value);
        Assert.Contains("DotnetTool", packageTypes);

        var settings = zip.Entries.Single(e => e.FullName.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
        using var stream = settings.Open();
        var command = XDocument.Load(stream).Descendants("Command").Single();
        Assert.Equal("wabahooks", command.Attribute("Name")?.Value);
        Assert.Equal("WabaHooks.Cli.dll", command.Attribute("EntryPoint")?.Value);
    }

    private static XElement Nuspec(ZipArchive zip, string id)
    {
        var entry = zip.GetEntry(id + ".nuspec");
        Assert.NotNull(entry);
        using var stream = entry.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitPattern();
}
