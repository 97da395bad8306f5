using System.Text.Json.Serialization;

namespace WabaHooks.Graph;

/// <summary><c>{"success": true}</c>, the answer of every Graph write used here.</summary>
internal sealed class GraphSuccess
{
    [JsonPropertyName("success")]
    [JsonConverter(typeof(TolerantBooleanConverter))]
    public bool Success { get; init; }
}

/// <summary>A Graph list: <c>{"data": [...]}</c>.</summary>
internal sealed class GraphList<T>
{
    [JsonPropertyName("data")]
    public IReadOnlyList<T>? Data { get; init; }
}

/// <summary>Graph's error envelope.</summary>
internal sealed class GraphErrorEnvelope
{
    [JsonPropertyName("error")]
    public GraphError? Error { get; init; }
}

/// <summary>Graph's error object, as §5.3 of the reference lists it.</summary>
internal sealed class GraphError
{
    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("code")]
    public int? Code { get; init; }

    [JsonPropertyName("error_subcode")]
    public int? ErrorSubcode { get; init; }

    [JsonPropertyName("fbtrace_id")]
    public string? FbtraceId { get; init; }

    [JsonPropertyName("is_transient")]
    [JsonConverter(typeof(TolerantBooleanConverter))]
    public bool IsTransient { get; init; }

    [JsonPropertyName("error_user_title")]
    public string? ErrorUserTitle { get; init; }

    [JsonPropertyName("error_user_msg")]
    public string? ErrorUserMsg { get; init; }
}

/// <summary>The body that sets a WABA-level override on <c>/{waba-id}/subscribed_apps</c>.</summary>
internal sealed record WabaOverrideBody(
    [property: JsonPropertyName("override_callback_uri")] string OverrideCallbackUri,
    [property: JsonPropertyName("verify_token")] string VerifyToken);

/// <summary>The body that sets or removes a phone-number override on <c>/{phone-number-id}</c>.</summary>
internal sealed record PhoneNumberOverrideBody(
    [property: JsonPropertyName("webhook_configuration")] PhoneNumberOverride WebhookConfiguration);

/// <summary>
/// The <c>webhook_configuration</c> that is written. An empty <c>override_callback_uri</c> removes the override, and
/// then no verify token is sent.
/// </summary>
internal sealed record PhoneNumberOverride(
    [property: JsonPropertyName("override_callback_uri")] string OverrideCallbackUri,
    [property: JsonPropertyName("verify_token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? VerifyToken);
