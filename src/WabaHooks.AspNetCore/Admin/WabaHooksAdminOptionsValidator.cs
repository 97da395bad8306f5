using Microsoft.Extensions.Options;

namespace WabaHooks.AspNetCore.Admin;

/// <summary>Admin tokens long enough to resist guessing and distinct, so a role is never ambiguous.</summary>
internal sealed class WabaHooksAdminOptionsValidator : IValidateOptions<WabaHooksAdminOptions>
{
    public const int MinimumTokenLength = 16;

    public ValidateOptionsResult Validate(string? name, WabaHooksAdminOptions options)
    {
        var errors = new List<string>();
        Check(options.ViewerToken, "Admin:ViewerToken", errors);
        Check(options.OperatorToken, "Admin:OperatorToken", errors);
        if (!string.IsNullOrEmpty(options.ViewerToken) && options.ViewerToken == options.OperatorToken)
        {
            errors.Add("Admin:ViewerToken and Admin:OperatorToken are the same; give each role its own token.");
        }

        if (options.SessionIdleTimeout <= TimeSpan.Zero)
        {
            errors.Add("Admin:SessionIdleTimeout must be positive, e.g. 08:00:00.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(string? token, string key, List<string> errors)
    {
        if (token is not null && token.Trim().Length < MinimumTokenLength)
        {
            // The value itself is never repeated: it is a secret.
            errors.Add($"{key} must be at least {MinimumTokenLength} characters (a random string, e.g. from `openssl rand -hex 24`).");
        }
    }
}
