using WabaHooks.Testing;

namespace WabaHooks.Cli.Tests.Deploy;

/// <summary>deploy/systemd/wabahooks.service read as systemd reads it: sections of <c>Key=Value</c> lines, keys repeatable.</summary>
internal sealed class SystemdUnit
{
    private readonly List<(string Section, string Key, string Value)> _entries = [];

    public static string Path => RepositoryRoot.Combine("deploy", "systemd", "wabahooks.service");

    public static SystemdUnit Load()
    {
        var unit = new SystemdUnit();
        var section = "";
        foreach (var raw in File.ReadAllLines(Path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';'))
            {
                continue;
            }

            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1];
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(equals > 0, $"Not a Key=Value line in [{section}]: {line}");
            unit._entries.Add((section, line[..equals], line[(equals + 1)..]));
        }

        return unit;
    }

    public IReadOnlyList<string> Sections => [.. _entries.Select(e => e.Section).Distinct()];

    public IReadOnlyList<string> All(string section, string key) =>
        [.. _entries.Where(e => e.Section == section && e.Key == key).Select(e => e.Value)];

    public string Single(string section, string key) => Assert.Single(All(section, key));
}
