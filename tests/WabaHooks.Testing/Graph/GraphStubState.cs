using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WabaHooks.Testing.Graph;

/// <summary>
/// What the Graph stub remembers between requests, and its answer per endpoint, as Meta's reference documents them.
/// Callers hold the stub's lock. Unlike Meta, it sends no verification GET to callback URLs.
/// </summary>
internal sealed class GraphStubState
{
    private const int MaxOverrideLength = 200;
    private const string WhatsAppBusinessAccount = "whatsapp_business_account";

    private readonly Dictionary<string, (string CallbackUrl, List<(string Name, string Version)> Fields)> _appSubscriptions = new(StringComparer.Ordinal);

    /// <summary>Per WABA, the subscribed apps and each one's override (null for none).</summary>
    private readonly Dictionary<string, Dictionary<string, string?>> _subscribedApps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _phoneNumberOverrides = new(StringComparer.Ordinal);
    private int _sent;

    public void SubscribeApp(string objectName, string callbackUrl, IEnumerable<(string Name, string Version)> fields) =>
        _appSubscriptions[objectName] = (callbackUrl, [.. fields]);

    public void SubscribeWaba(string wabaId, string appId, string? overrideCallbackUri)
    {
        if (!_subscribedApps.TryGetValue(wabaId, out var apps))
        {
            _subscribedApps[wabaId] = apps = new(StringComparer.Ordinal);
        }

        apps[appId] = overrideCallbackUri;
    }

    public void UnsubscribeWaba(string wabaId, string appId)
    {
        if (_subscribedApps.TryGetValue(wabaId, out var apps))
        {
            apps.Remove(appId);
        }
    }

    public void SetPhoneNumberOverride(string phoneNumberId, string uri) => _phoneNumberOverrides[phoneNumberId] = uri;

    /// <summary><c>/{app-id}/subscriptions</c>: the app token as the <c>access_token</c> parameter, from the query or the form.</summary>
    public (int, JsonNode) AppSubscriptions(GraphRequest request, string version, string appId)
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

                // Meta records each field with the version of the call that subscribed it.
                SubscribeApp(request.Parameter("object")!, request.Parameter("callback_url")!, request.Parameter("fields")!.Split(',').Select(f => (f, version)));
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
                        ["fields"] = new JsonArray([.. fields.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["version"] = f.Version })]),
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
                    existing.Fields.RemoveAll(f => fieldsToDelete.Split(',').Contains(f.Name));
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

    /// <summary><c>/{waba-id}/subscribed_apps</c>, for the app the token belongs to.</summary>
    public (int, JsonNode) SubscribedApps(GraphRequest request, string wabaId)
    {
        switch (request.Method)
        {
            case "POST" when request.Body.Length == 0:
                // Subscribing again, with no body, is also how an override is removed.
                SubscribeWaba(wabaId, GraphStub.AppId, null);
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

                SubscribeWaba(wabaId, GraphStub.AppId, uri);
                return (200, GraphErrors.Success());

            case "GET":
                var data = new JsonArray();
                foreach (var (appId, overrideUri) in _subscribedApps.GetValueOrDefault(wabaId) ?? [])
                {
                    var app = new JsonObject
                    {
                        ["whatsapp_business_api_data"] = new JsonObject
                        {
                            ["link"] = "https://www.facebook.com/games/?app_id=" + appId,
                            ["name"] = appId == GraphStub.AppId ? GraphStub.AppName : "App " + appId,
                            ["id"] = appId,
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
                UnsubscribeWaba(wabaId, GraphStub.AppId);
                return (200, GraphErrors.Success());

            default:
                return GraphErrors.UnknownPath(request.Path);
        }
    }

    /// <summary><c>/{phone-number-id}</c>: writes and reads of <c>webhook_configuration</c>.</summary>
    public (int, JsonNode) PhoneNumber(GraphRequest request, string phoneNumberId)
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

                    // The stub's phone numbers belong to its one WABA; the key appears only when that WABA has an override.
                    if (_subscribedApps.GetValueOrDefault(GraphStub.WabaId)?.GetValueOrDefault(GraphStub.AppId) is { } wabaOverride)
                    {
                        webhookConfiguration["whatsapp_business_account"] = wabaOverride;
                    }

                    if (_appSubscriptions.TryGetValue(WhatsAppBusinessAccount, out var app))
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

    /// <summary><c>POST /{phone-number-id}/messages</c>: accepts a message for sending, as the Cloud API answers.</summary>
    public (int, JsonNode) Messages(GraphRequest request)
    {
        if (request.Method != "POST")
        {
            return GraphErrors.UnknownPath(request.Path);
        }

        var body = request.Json();
        if (!body.TryGetProperty("messaging_product", out var product) || product.GetString() != "whatsapp")
        {
            return GraphErrors.InvalidParameter("(#100) The parameter messaging_product is required.");
        }

        if (!body.TryGetProperty("to", out var to) || string.IsNullOrEmpty(to.GetString()))
        {
            return GraphErrors.InvalidParameter("(#100) The parameter to is required.");
        }

        var wamid = "wamid.stub" + (++_sent).ToString(CultureInfo.InvariantCulture);
        return (200, new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["contacts"] = new JsonArray(new JsonObject { ["input"] = to.GetString(), ["wa_id"] = to.GetString() }),
            ["messages"] = new JsonArray(new JsonObject { ["id"] = wamid }),
        });
    }
}
