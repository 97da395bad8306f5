namespace WabaHooks.Signatures;

/// <summary>Why a signature was refused.</summary>
public enum SignatureFailure
{
    /// <summary>The signature is valid.</summary>
    None,

    /// <summary>No <c>X-Hub-Signature-256</c> header, or an empty one.</summary>
    Missing,

    /// <summary>The header does not start with <c>sha256=</c>.</summary>
    MissingPrefix,

    /// <summary>The digest after <c>sha256=</c> is not 64 characters long.</summary>
    WrongLength,

    /// <summary>The digest contains characters that are not hexadecimal.</summary>
    NotHex,

    /// <summary>The digest is well formed but matches none of the configured app secrets.</summary>
    Mismatch,
}

/// <summary>The result of checking <c>X-Hub-Signature-256</c> against the configured app secrets.</summary>
/// <param name="Failure"><see cref="SignatureFailure.None"/> when valid; otherwise why not.</param>
/// <param name="MatchedSecret">The secret that produced the signature, when valid.</param>
public readonly record struct SignatureVerificationResult(SignatureFailure Failure, AppSecret? MatchedSecret)
{
    /// <summary>Whether one of the configured secrets produced the signature.</summary>
    public bool IsValid => Failure == SignatureFailure.None;

    /// <summary>A one-line reason for a refusal, free of any secret or digest; <see langword="null"/> when valid.</summary>
    public string? Reason => Failure switch
    {
        SignatureFailure.None => null,
        SignatureFailure.Missing => "missing X-Hub-Signature-256 header",
        SignatureFailure.MissingPrefix => "X-Hub-Signature-256 does not start with 'sha256='",
        SignatureFailure.WrongLength => "X-Hub-Signature-256 digest is not 64 hex characters",
        SignatureFailure.NotHex => "X-Hub-Signature-256 digest contains non-hex characters",
        SignatureFailure.Mismatch => "X-Hub-Signature-256 does not match any configured app secret",
        _ => "invalid X-Hub-Signature-256",
    };
}
