using System.Text;
using WabaHooks.Events;

namespace WabaHooks.Hosting.Destinations;

/// <summary>
/// A broker address made from each event: a RabbitMQ routing key, a NATS subject. Placeholders in braces take the
/// event's values: <c>{field}</c> (<c>messages</c>), <c>{type}</c> (<c>messages.text</c>: it holds a dot, so it is two
/// tokens of a topic routing key or subject), <c>{waba_id}</c>, <c>{phone_number_id}</c> (<c>none</c> for changes that
/// have none). In a value every character other than an ASCII letter, digit, <c>-</c> or <c>_</c> (and the dot of
/// <c>{type}</c>) becomes <c>_</c>, so a value can never add a token or a wildcard.
/// </summary>
public sealed class AddressTemplate
{
    /// <summary>The placeholders, in braces.</summary>
    public static readonly IReadOnlyList<string> Placeholders = ["{field}", "{type}", "{waba_id}", "{phone_number_id}"];

    /// <summary>The value of <c>{phone_number_id}</c> for an event that has none.</summary>
    public const string None = "none";

    private readonly List<(string? Literal, string? Placeholder)> _parts;

    private AddressTemplate(string text, List<(string? Literal, string? Placeholder)> parts)
    {
        Text = text;
        _parts = parts;
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>Reads <paramref name="template"/>, or says what is wrong with it.</summary>
    /// <param name="template">The template, e.g. <c>whatsapp.{waba_id}.{type}</c>.</param>
    /// <param name="parsed">The template, when it is valid.</param>
    /// <param name="problem">What is wrong, when it is not.</param>
    public static bool TryParse(string? template, out AddressTemplate? parsed, out string? problem)
    {
        parsed = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(template))
        {
            problem = "it is empty";
            return false;
        }

        var parts = new List<(string?, string?)>();
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            var close = template.IndexOf('}', i);
            if (close >= 0 && (open < 0 || close < open))
            {
                problem = $"a '}}' at {close} closes no placeholder";
                return false;
            }

            if (open < 0)
            {
                parts.Add((template[i..], null));
                break;
            }

            if (open > i)
            {
                parts.Add((template[i..open], null));
            }

            if (close < 0)
            {
                problem = $"the '{{' at {open} is never closed";
                return false;
            }

            var placeholder = template[open..(close + 1)];
            if (!Placeholders.Contains(placeholder, StringComparer.Ordinal))
            {
                problem = $"{placeholder} is not a placeholder; use {string.Join(", ", Placeholders)}";
                return false;
            }

            parts.Add((null, placeholder));
            i = close + 1;
        }

        parsed = new AddressTemplate(template, parts);
        return true;
    }

    /// <summary>The literal text between the placeholders, for a kind to check against its broker's rules.</summary>
    public IEnumerable<string> Literals => _parts.Where(p => p.Literal is not null).Select(p => p.Literal!);

    /// <summary>The address of <paramref name="e"/>.</summary>
    /// <param name="e">The event.</param>
    public string Expand(WabaEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var address = new StringBuilder(Text.Length + 32);
        foreach (var (literal, placeholder) in _parts)
        {
            if (literal is not null)
            {
                address.Append(literal);
                continue;
            }

            var (value, keepDots) = placeholder switch
            {
                "{field}" => (e.Field, false),
                "{type}" => (e.Type, true),
                "{waba_id}" => (e.WabaId, false),
                _ => (e.PhoneNumberId, false),
            };
            AppendSafe(address, string.IsNullOrEmpty(value) ? None : value, keepDots);
        }

        return address.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => Text;

    private static void AppendSafe(StringBuilder address, string value, bool keepDots)
    {
        foreach (var c in value)
        {
            address.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' || (keepDots && c == '.') ? c : '_');
        }
    }
}
