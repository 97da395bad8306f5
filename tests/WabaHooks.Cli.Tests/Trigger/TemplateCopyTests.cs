using WabaHooks.Testing;

namespace WabaHooks.Cli.Tests.Trigger;

public sealed class TemplateCopyTests
{
    [Fact]
    public void Every_shared_payload_is_embedded_in_the_trigger_catalog_byte_for_byte()
    {
        if (ExamplePayloads.SharedDirectory is not { } shared)
        {
            Assert.Skip("shared/payloads is not beside the repository; the embedded copy is all there is to compare.");
            return;
        }

        // The catalog may hold more: examples written from the documented facts for fields Meta's folder lacks.
        var embedded = ExamplePayloads.FileNames(ExamplePayloads.EmbeddedDirectory).ToHashSet(StringComparer.Ordinal);
        var sharedNames = ExamplePayloads.FileNames(shared).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(sharedNames);
        Assert.All(sharedNames, name =>
        {
            Assert.Contains(name, embedded);
            Assert.Equal(File.ReadAllBytes(Path.Combine(shared, name)), File.ReadAllBytes(Path.Combine(ExamplePayloads.EmbeddedDirectory, name)));
        });
    }
}
