using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WabaHooks.Graph;
using WabaHooks.Graph.Media;
using WabaHooks.Hosting;
using WabaHooks.Hosting.Handlers;
using WabaHooks.Hosting.Media;
using WabaHooks.Media;
using WabaHooks.Payloads;

// In AddWabaHooks' namespace, so AddMedia shows up wherever AddWabaHooks is used.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Media kept on arrival: <see cref="AddMedia"/>, and handlers that wait for it (<see cref="OnMediaStored"/>).</summary>
public static class WabaHooksBuilderMediaExtensions
{
    /// <summary>The configuration section of <see cref="MediaOptions"/>.</summary>
    public const string SectionKey = "Media";

    /// <summary>The sink name prefix: one sink per media type, <c>media:image</c>, <c>media:audio</c>, …</summary>
    public const string SinkPrefix = "media:";

    /// <summary>
    /// Keeps the media of inbound media messages (see <see cref="MediaOptions"/>), after the 200, in an
    /// <see cref="IMediaStore"/>: a <see cref="DirectoryMediaStore"/> over <see cref="MediaOptions.Directory"/> unless
    /// another store is registered. Each media type is a sink of its own (<c>media:image</c>, …) with the handlers'
    /// attempts, backoff and dead letters; each attempt must finish within <c>Handlers:Timeout</c> as well as
    /// <see cref="MediaOptions.DownloadTimeout"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets options after the <c>Media</c> configuration section is bound.</param>
    /// <returns>The builder.</returns>
    public static WabaHooksBuilder AddMedia(this WabaHooksBuilder builder, Action<MediaOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        builder.BindOptions(SectionKey, configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MediaOptions>, MediaOptionsValidator>());
        services.AddHttpClient();
        services.TryAddSingleton<IMediaStore>(sp => new DirectoryMediaStore(
            sp.GetRequiredService<IOptions<MediaOptions>>().Value.Directory, sp.GetRequiredService<TimeProvider>()));
        // Destinations that wait for media (DestinationOptions.WaitForMedia) ask it which media will be kept.
        services.TryAddSingleton<IKeptMediaPolicy, KeptMediaPolicy>();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<MediaOptions>>().Value;
            var time = sp.GetRequiredService<TimeProvider>();
            return new MediaFetcher(new GraphClient(sp.GetRequiredService<IHttpClientFactory>(), options.Graph, time), sp.GetRequiredService<IMediaStore>(), options, time);
        });

        // Test events are let through to the sinks and skipped there: whether to fetch them is a bound setting, known
        // only once the host is built, while the filter is fixed at registration.
        builder.On<ImageMessage>(FetchAsync, SinkPrefix + MessageTypes.Image, includeTestEvents: true);
        builder.On<AudioMessage>(FetchAsync, SinkPrefix + MessageTypes.Audio, includeTestEvents: true);
        builder.On<VideoMessage>(FetchAsync, SinkPrefix + MessageTypes.Video, includeTestEvents: true);
        builder.On<DocumentMessage>(FetchAsync, SinkPrefix + MessageTypes.Document, includeTestEvents: true);
        builder.On<StickerMessage>(FetchAsync, SinkPrefix + MessageTypes.Sticker, includeTestEvents: true);
        return builder;
    }

    /// <summary>
    /// Handles every event whose payload is a <typeparamref name="TPayload"/>, as <c>On&lt;TPayload&gt;</c> does, but
    /// runs the handler for a media message only once its media is kept (<see cref="AddMedia"/>): until then the attempt
    /// fails with <see cref="MediaNotStoredException"/> and is retried with the handlers' backoff; if the media is
    /// dead-lettered, so is the handler's event in the end. Read the media with <see cref="GetStoredMediaAsync"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="handler">The handler.</param>
    /// <param name="name">The sink name; see <c>On&lt;TPayload&gt;</c>.</param>
    /// <param name="includeTestEvents">Whether test traffic reaches it.</param>
    /// <returns>The builder.</returns>
    public static WabaHooksBuilder OnMediaStored<TPayload>(this WabaHooksBuilder builder, Func<WabaHookContext<TPayload>, CancellationToken, Task> handler, string? name = null, bool includeTestEvents = false)
        where TPayload : class
    {
        ArgumentNullException.ThrowIfNull(handler);
        return builder.On<TPayload>(
            async (context, cancellationToken) =>
            {
                if (context.Payload is InboundMessage message && MediaReference.Of(message) is { } media
                    && context.Services.GetRequiredService<IOptions<MediaOptions>>().Value.Keeps(media.Type)
                    && await context.Services.GetRequiredService<IMediaStore>().FindAsync(media.Wamid, cancellationToken).ConfigureAwait(false) is null)
                {
                    throw new MediaNotStoredException($"The {media.Type} of message {media.Wamid} is not kept yet; the handler runs once it is.");
                }

                await handler(context, cancellationToken).ConfigureAwait(false);
            },
            name ?? $"OnMediaStored<{typeof(TPayload).Name}>",
            includeTestEvents);
    }

    /// <summary>
    /// The kept media of the event's message, with its location; <see langword="null"/> when it is not a media message,
    /// or its media is not kept (yet), or media is not kept at all (<see cref="AddMedia"/> not called).
    /// </summary>
    /// <param name="context">The handler's context.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The stored media, or <see langword="null"/>.</returns>
    public static async Task<StoredMedia?> GetStoredMediaAsync<TPayload>(this WabaHookContext<TPayload> context, CancellationToken cancellationToken = default)
        where TPayload : class
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Event.Payload is InboundMessage message && MediaReference.Of(message) is { } media && context.Services.GetService<IMediaStore>() is { } store
            ? await store.FindAsync(media.Wamid, cancellationToken).ConfigureAwait(false)
            : null;
    }

    private static async Task FetchAsync<TMessage>(WabaHookContext<TMessage> context, CancellationToken cancellationToken)
        where TMessage : InboundMessage
    {
        var options = context.Services.GetRequiredService<IOptions<MediaOptions>>().Value;
        if ((context.IsTest && !options.IncludeTestEvents) || MediaReference.Of(context.Payload) is not { } media || !options.Keeps(media.Type))
        {
            return;
        }

        await context.Services.GetRequiredService<MediaFetcher>().FetchAsync(media, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Checks <see cref="MediaOptions"/> at start-up, every problem at once.</summary>
internal sealed class MediaOptionsValidator : IValidateOptions<MediaOptions>
{
    public ValidateOptionsResult Validate(string? name, MediaOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>The media sinks' own rule (<see cref="MediaOptions.Keeps"/>, test traffic only when included), for those that wait for media.</summary>
internal sealed class KeptMediaPolicy(IOptions<MediaOptions> options) : IKeptMediaPolicy
{
    public bool Keeps(MediaReference media, bool isTest) =>
        (!isTest || options.Value.IncludeTestEvents) && options.Value.Keeps(media.Type);
}
