using System.Text.Json;
using WabaHooks.Cli.Configuration;
using WabaHooks.Testing;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Configuration;

/// <summary><c>wabahooks.schema.json</c> is what the options types generate, and describes every setting they have.</summary>
public sealed class ConfigurationSchemaTests
{
    [Fact]
    public void The_checked_in_schema_is_what_the_options_types_generate()
    {
        var checkedIn = File.ReadAllText(RepositoryRoot.Combine(ConfigurationSchema.FileName)).ReplaceLineEndings("\n");

        // On a difference: dotnet run --project src/WabaHooks.Cli -- config schema > wabahooks.schema.json
        Assert.Equal(ConfigurationSchema.Generate(), checkedIn);
    }

    [Fact]
    public void Every_object_of_the_schema_refuses_unknown_keys_and_describes_each_setting()
    {
        using var schema = JsonDocument.Parse(ConfigurationSchema.Generate());
        var definitions = schema.RootElement.GetProperty("$defs").EnumerateObject().Where(d => d.Value.TryGetProperty("properties", out _)).ToList();

        Assert.Contains(definitions, d => d.Name == "WabaHooksOptions");
        Assert.Contains(definitions, d => d.Name == "DestinationOptions");
        Assert.All(definitions, d =>
        {
            Assert.False(d.Value.GetProperty("additionalProperties").GetBoolean());
            Assert.All(d.Value.GetProperty("properties").EnumerateObject(), p => Assert.True(p.Value.TryGetProperty("description", out var text) && text.GetString()!.Length > 10, $"{d.Name}.{p.Name} has no description"));
        });
    }

    [Fact]
    public void The_schema_names_every_section_the_library_and_serve_read()
    {
        using var schema = JsonDocument.Parse(ConfigurationSchema.Generate());
        var root = schema.RootElement.GetProperty("$defs").GetProperty("WabaHooksOptions").GetProperty("properties");

        foreach (var key in new[] { "VerifyToken", "AppSecrets", "MaxBodyBytes", "Processor", "Handlers", "Destinations", "Sqlite", "Postgres", "Watchdog", "Serve" })
        {
            Assert.True(root.TryGetProperty(key, out _), $"the schema has no {key}");
        }
    }

    [Fact]
    public async Task The_config_schema_command_prints_the_schema()
    {
        var result = await CliProcess.RunAsync(["config", "schema"], timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(ConfigurationSchema.Generate().TrimEnd('\n'), result.StandardOutput.TrimEnd('\n'));
    }
}
