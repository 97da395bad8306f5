using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace WabaHooks.AspNetCore.Admin;

/// <summary>
/// Refuses a state-changing call that relies on ambient credentials (the session cookie, or merely being local)
/// unless it carries a valid antiforgery token: another site's page cannot make the browser act. A call with an
/// <c>Authorization</c> header is exempt: a browser adds none to a cross-site request without a CORS preflight, which
/// the admin surface never grants.
/// </summary>
internal sealed class AdminAntiforgeryFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!await IsValidAsync(context.HttpContext).ConfigureAwait(false))
        {
            return TypedResults.Problem(
                "This call changes state and was made without a valid antiforgery token. Send the token of GET api/antiforgery in the header it names, or authenticate with Authorization: Bearer.",
                statusCode: StatusCodes.Status400BadRequest,
                title: "Antiforgery token missing or invalid");
        }

        return await next(context).ConfigureAwait(false);
    }

    public static async Task<bool> IsValidAsync(HttpContext http)
    {
        if (http.Request.Headers.Authorization.Count > 0)
        {
            return true;
        }

        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        try
        {
            await antiforgery.ValidateRequestAsync(http).ConfigureAwait(false);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }
}
