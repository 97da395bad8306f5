namespace WabaHooks.Payloads;

/// <summary>
/// An error object as Meta sends it in <c>value.errors</c>, <c>messages[].errors</c> and <c>statuses[].errors</c>.
/// Match on <see cref="Code"/>; the texts are for people.
/// </summary>
public sealed class WhatsAppError : PayloadObject
{
    /// <summary>The error code, for example <c>131051</c> or <c>130429</c>.</summary>
    public long Code { get; set; }

    /// <summary>The error title.</summary>
    public string? Title { get; set; }

    /// <summary>The error message; equals the title.</summary>
    public string? Message { get; set; }

    /// <summary>More detail.</summary>
    public WhatsAppErrorData? ErrorData { get; set; }

    /// <summary>A link to the error-codes page.</summary>
    public string? Href { get; set; }
}

/// <summary><c>error_data</c>.</summary>
public sealed class WhatsAppErrorData : PayloadObject
{
    /// <summary>A human-readable description.</summary>
    public string? Details { get; set; }
}
