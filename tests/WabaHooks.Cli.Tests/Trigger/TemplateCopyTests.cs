using WabaHooks.Testing;

namespace WabaHooks.Cli.Tests.Trigger;

public sealed class TemplateCopyTests
{
    [Fact]
    public void The_embedded_trigger_templates_are_the_shared_payloads_byte_for_byte()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "WabaHooks.slnx")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var templates = Path.Combine(root.FullName, "src", "WabaHooks.Cli", "Trigger", "Templates");
        if (Path.GetFullPath(ExamplePayloads.Directory) == Path.GetFullPath(templates))
        {
            Assert.Skip("shared/payloads is not beside the repository; the embedded copy is all there is to compare.");
        }

        var shared = ExamplePayloads.Names;
        var embedded = Directory.GetFiles(templates, "*.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(shared, embedded);
        Assert.All(shared, name => Assert.Equal(ExamplePayloads.Read(name), File.ReadAllBytes(Path.Combine(templates, name))));
    }
}
