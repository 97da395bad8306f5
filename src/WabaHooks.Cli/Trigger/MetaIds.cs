using System.Security.Cryptography;

namespace WabaHooks.Cli.Trigger;

/// <summary>Made-up ids in the shapes Meta uses, random so that two runs never collide.</summary>
internal static class MetaIds
{
    /// <summary>A numeric Graph id of 15 digits, like a WABA or phone-number id.</summary>
    public static string NewGraphId() => "1" + RandomNumberGenerator.GetString("0123456789", 14);

    /// <summary>A WhatsApp message id: <c>wamid.</c> and base64, as Meta's are.</summary>
    public static string NewWamid()
    {
        // Meta's wamids start HBgM... (a length-prefixed phone number); the rest is opaque to receivers.
        Span<byte> bytes = stackalloc byte[30];
        RandomNumberGenerator.Fill(bytes);
        return "wamid.HBgM" + Convert.ToBase64String(bytes);
    }

    /// <summary>A WhatsApp call id: <c>wacid.</c> and base64, in the same shape as a wamid.</summary>
    public static string NewWacid() => "wacid." + NewWamid()["wamid.".Length..];

    public static bool IsGraphId(string value) => value.Length is > 0 and <= 32 && value.All(char.IsAsciiDigit);
}
