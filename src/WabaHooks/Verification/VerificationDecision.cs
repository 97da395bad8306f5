namespace WabaHooks.Verification;

/// <summary>The outcome of Meta's verification handshake (<c>GET ?hub.mode=subscribe&amp;hub.challenge=…&amp;hub.verify_token=…</c>).</summary>
public enum VerificationOutcome
{
    /// <summary>Mode and token match: answer 200 with the challenge, verbatim, as <c>text/plain</c>.</summary>
    Accepted,

    /// <summary>A required parameter is missing or empty: answer 400.</summary>
    MissingParameter,

    /// <summary>The mode is not <c>subscribe</c> or the token does not match: answer 403.</summary>
    Refused,
}

/// <summary>What to answer to one verification request, and why.</summary>
/// <param name="Outcome">Accept, or the kind of rejection.</param>
/// <param name="Challenge">The challenge to echo when <see cref="Outcome"/> is <see cref="VerificationOutcome.Accepted"/>; otherwise <see langword="null"/>.</param>
/// <param name="Reason">A one-line, secret-free reason for a rejection; <see langword="null"/> when accepted.</param>
public readonly record struct VerificationDecision(VerificationOutcome Outcome, string? Challenge, string? Reason)
{
    /// <summary>Whether the handshake succeeded.</summary>
    public bool IsAccepted => Outcome == VerificationOutcome.Accepted;
}
