using WabaHooks.Hosting.Configuration;
using WabaHooks.Hosting.Handlers;
using WabaHooks.Inbox;
using WabaHooks.Processing;
using WabaHooks.Signatures;

namespace WabaHooks.Hosting;

/// <summary>WabaHooks' settings: how deliveries are verified and accepted, processed, and handed to handlers. The store, destinations and watchdog have their own.</summary>
public sealed class WabaHooksOptions
{
    /// <summary>Default <see cref="MaxBodyBytes"/>: 4 MiB, above Meta's stated 3 MB maximum payload.</summary>
    public const long DefaultMaxBodyBytes = 4L * 1024 * 1024;

    /// <summary>The verify token also entered in Meta's App Dashboard. Required.</summary>
    [Secret]
    public string VerifyToken { get; set; } = "";

    /// <summary>
    /// The app secrets a delivery's <c>X-Hub-Signature-256</c> may be made with: one per Meta app pointing here, and
    /// both the old and new secret during a rotation. At least one is required; signatures are never optional. A secret
    /// without an app id is recorded as <c>secret-N</c>, N its position here (<see cref="AppSecret.NameByPosition"/>).
    /// </summary>
    public IList<AppSecret> AppSecrets { get; } = [];

    /// <summary>Largest accepted body; larger requests get 413 without being read. Default 4 MiB.</summary>
    public long MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;

    /// <summary>
    /// How long a request waits for its delivery to be committed before answering 503, so Meta retries instead of
    /// timing out. Default 5 seconds.
    /// </summary>
    public TimeSpan AppendTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The <c>Retry-After</c> value, in seconds, sent with a 503. Default 5.</summary>
    public int RetryAfterSeconds { get; set; } = 5;

    /// <summary>
    /// How many refused requests one source address may make before it is answered 429 (and no longer logged). Default:
    /// a burst of 20, then 1 a second.
    /// </summary>
    public RefusedRequestOptions RefusedRequests { get; } = new();

    /// <summary>How the processor turns deliveries into events after the 200.</summary>
    public ProcessorOptions Processor { get; } = new();

    /// <summary>How the inbox writer batches commits.</summary>
    public GroupCommitOptions GroupCommit { get; } = new();

    /// <summary>How in-process handlers are run, retried and dead-lettered.</summary>
    public HandlerOptions Handlers { get; } = new();

    /// <summary>How long deliveries, events, attempts and dead letters are kept, and a cap on the store's size.</summary>
    public Retention.RetentionOptions Retention { get; } = new();
}
