using System.Text.Json;
using System.Text.Json.Nodes;

namespace WabaHooks.Graph.Tests.Support;

/// <summary>
/// What the Graph stub remembers between requests, and its answers per endpoint, following reference §5.2–§5.4.
/// Callers hold the stub's lock. Unlike Meta, it sends no verification GET to callback URLs.
/// </summary>
internal sealed class GraphStubState
{
    private const int MaxOverrideLength = 200;

    private readonly Dictionary<string, (string CallbackUrl, List<string> Fields)> _appSubscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _wabaOverrides = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _phoneNumberOverrides = new(StringComparer.Ordinal);

    /// <summary><c>/{app-id}/subscriptions</c>: app token as the <c>access_token</c> parameter, from the query or the form.</summary>
    public (int, JsonNode) AppSubscriptions(RecordedRequest request, string appId)
    {
        if (appId != GraphStub.AppId || request.Parameter("access_token") != GraphStub.AppAccessToken)
        {
            return GraphErrors.ExpiredToken();
        }

        switch (request.Method)
        {
            case "POST":
                foreach (var name in new[] { "object", "callback_url", "verify_token", "fields" })
                {
                    if (string.IsNullOrEmpty(request.Parameter(name)))
                    {
                        return GraphErrors.InvalidParameter($"(#100) The parameter {name} is required");
                    }
                }

                _appSubscriptions[request.Parameter("object")!] = (request.Parameter("callback_url")!, [.. request.Parameter("fields")!.Split(',')]);
                return (200, GraphErrors.Success());

            case "GET":
                var data = new JsonArray();
                foreach (var (objectName, (callbackUrl, fields)) in _appSubscriptions)
                {
                    data.Add(new JsonObject
                    {
                        ["object"] = objectName,
                        ["callback_url"] = callbackUrl,
                        ["active"] = true,
                        ["fields"] = new JsonArray([.. fields.Select(f => (JsonNode)new JsonObject { ["name"] = f, ["version"] = "v24.0" })]),
                    });
                }

                return (200, new JsonObject { ["data"] = data });

            case "DELETE":
                var objectToDelete = request.Parameter("object");
                if (string.IsNullOrEmpty(objectToDelete))
                {
                    return GraphErrors.InvalidParameter("(#100) The parameter object is required");
                }

                if (request.Parameter("fields") is { Length: > 0 } fieldsToDelete && _appSubscriptions.TryGetValue(objectToDelete, out var existing))
                {
                    existing.Fields.RemoveAll(f => fieldsToDelete.Split(',').Contains(f));
                    if (existing.Fields.Count > 0)
                    {
                        return (200, GraphErrors.Success());
                    }
                }

                _appSubscriptions.Remove(objectToDelete);
                return (200, GraphErrors.Success());

            default:
                return GraphErrors.UnknownPath(request.Path);
        }
    }

    /// <summary><c>/{waba-id}/subscribed_apps</c>.</summary>
    public (int, JsonNode) SubscribedApps(RecordedRequest request, string wabaId)
    {
        switch (request.Method)
        {
            case "POST" when request.Body.Length == 0:
                // Subscribing again, with no body, is also how an override is removed.
                _wabaOverrides[wabaId] = null;
                return (200, GraphErrors.Success());

            case "POST":
                var body = request.Json();
                var uri = body.TryGetProperty("override_callback_uri", out var u) ? u.GetString() : null;
                var verifyToken = body.TryGetProperty("verify_token", out var v) ? v.GetString() : null;
                if (string.IsNullOrEmpty(uri) || string.IsNullOrEmpty(verifyToken))
                {
                    return GraphErrors.InvalidParameter("(#100) override_callback_uri and verify_token are both required");
                }

                if (uri.Length > MaxOverrideLength)
                {
                    return GraphErrors.InvalidParameter("(#100) Param override_callback_uri must be at most 200 chars long");
                }

                _wabaOverrides[wabaId] = uri;
                return (200, GraphErrors.Success());

            case "GET":
                var data = new JsonArray();
                if (_wabaOverrides.TryGetValue(wabaId, out var overrideUri))
                {
                    var app = new JsonObject
                    {
                        ["whatsapp_business_api_data"] = new JsonObject
                        {
                            ["link"] = "https://www.facebook.com/games/?app_id=" + GraphStub.AppId,
                            ["name"] = "WabaHooks Stub App",
                            ["id"] = GraphStub.AppId,
                        },
                    };
                    if (overrideUri is not null)
                    {
                        app["override_callback_uri"] = overrideUri;
                    }

                    data.Add(app);
                }

                return (200, new JsonObject { ["data"] = data });

            case "DELETE":
                _wabaOverrides.Remove(wabaId);
                return (200, GraphErrors.Success());

            default:
                return GraphErrors.UnknownPath(request.Path);
        }
    }

    /// <summary><c>/{phone-number-id}</c>: writes and reads of <c>webhook_configuration</c>.</summary>
    public (int, JsonNode) PhoneNumber(RecordedRequest request, string phoneNumberId)
    {
        switch (request.Method)
        {
            case "POST":
                if (!request.Json().TryGetProperty("webhook_configuration", out var configuration) ||
                    !configuration.TryGetProperty("override_callback_uri", out var u) || u.ValueKind != JsonValueKind.String)
                {
                    return GraphErrors.InvalidParameter("(#100) webhook_configuration.override_callback_uri is required");
                }

                var uri = u.GetString()!;
                if (uri.Length == 0)
                {
                    _phoneNumberOverrides.Remove(phoneNumberId);
                    return (200, GraphErrors.Success());
                }

                if (!configuration.TryGetProperty("verify_token", out var v) || string.IsNullOrEmpty(v.GetString()))
                {
                    return GraphErrors.InvalidParameter("(#100) webhook_configuration.verify_token is required");
                }

                if (uri.Length > MaxOverrideLength)
                {
                    return GraphErrors.InvalidParameter("(#100) Param override_callback_uri must be at most 200 chars long");
                }

                _phoneNumberOverrides[phoneNumberId] = uri;
                return (200, GraphErrors.Success());

            case "GET":
                var answer = new JsonObject();
                if (request.Parameter("fields") == "webhook_configuration")
                {
                    var webhookConfiguration = new JsonObject();
                    if (_phoneNumberOverrides.TryGetValue(phoneNumberId, out var phoneOverride))
                    {
                        webhookConfiguration["phone_number"] = phoneOverride;
                    }

                    // The stub's one phone number belongs to its one WABA; the key appears only when that WABA has an override.
                    if (_wabaOverrides.TryGetValue(GraphStub.WabaId, out var wabaOverride) && wabaOverride is not null)
                    {
                        webhookConfiguration["whatsapp_business_account"] = wabaOverride;
                    }

                    if (_appSubscriptions.TryGetValue(GraphClient.WhatsAppBusinessAccountObject, out var app))
                    {
                        webhookConfiguration["application"] = app.CallbackUrl;
                    }

                    answer["webhook_configuration"] = webhookConfiguration;
                }

                answer["id"] = phoneNumberId;
                return (200, answer);

            default:
                return GraphErrors.UnknownPath(request.Path);
        }
    }
}
