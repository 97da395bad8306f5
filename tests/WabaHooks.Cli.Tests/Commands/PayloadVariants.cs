using System.Text;
using WabaHooks.Testing;

namespace WabaHooks.Cli.Tests.Commands;

/// <summary>
/// Example payloads with ids swapped, for a second WABA, phone number or message: every file in the payload folder
/// shares one WABA and one phone number, and filters need something to tell apart.
/// </summary>
internal static class PayloadVariants
{
    public static byte[] With(string name, params (string From, string To)[] replacements)
    {
        var text = Encoding.UTF8.GetString(ExamplePayloads.Read(name));
        foreach (var (from, to) in replacements)
        {
            Assert.Contains(from, text, StringComparison.Ordinal);
            text = text.Replace(from, to, StringComparison.Ordinal);
        }

        return Encoding.UTF8.GetBytes(text);
    }
}
