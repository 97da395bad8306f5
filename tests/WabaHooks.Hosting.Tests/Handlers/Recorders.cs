using WabaHooks.Hosting.Handlers;
using WabaHooks.Hosting.Tests.Support;
using WabaHooks.Payloads;

namespace WabaHooks.Hosting.Tests.Handlers;

/// <summary>Typed handlers that only record what they were given.</summary>
internal sealed class TextRecorder(Received received) : IWabaHookHandler<TextMessage>
{
    public Task HandleAsync(WabaHookContext<TextMessage> context, CancellationToken cancellationToken)
    {
        received.Add(context);
        return Task.CompletedTask;
    }
}

/// <inheritdoc cref="TextRecorder"/>
internal sealed class MessageRecorder(Received received) : IWabaHookHandler<InboundMessage>
{
    public Task HandleAsync(WabaHookContext<InboundMessage> context, CancellationToken cancellationToken)
    {
        received.Add(context);
        return Task.CompletedTask;
    }
}

/// <inheritdoc cref="TextRecorder"/>
internal sealed class UnknownMessageRecorder(Received received) : IWabaHookHandler<UnknownMessage>
{
    public Task HandleAsync(WabaHookContext<UnknownMessage> context, CancellationToken cancellationToken)
    {
        received.Add(context);
        return Task.CompletedTask;
    }
}

/// <inheritdoc cref="TextRecorder"/>
internal sealed class UnknownFieldRecorder(Received received) : IWabaHookHandler<UnknownFieldValue>
{
    public Task HandleAsync(WabaHookContext<UnknownFieldValue> context, CancellationToken cancellationToken)
    {
        received.Add(context);
        return Task.CompletedTask;
    }
}

/// <inheritdoc cref="TextRecorder"/>
internal sealed class CallConnectRecorder(Received received) : IWabaHookHandler<CallConnect>
{
    public Task HandleAsync(WabaHookContext<CallConnect> context, CancellationToken cancellationToken)
    {
        received.Add(context);
        return Task.CompletedTask;
    }
}

/// <inheritdoc cref="TextRecorder"/>
internal sealed class CallStatusRecorder(Received received) : IWabaHookHandler<CallStatus>
{
    public Task HandleAsync(WabaHookContext<CallStatus> context, CancellationToken cancellationToken)
    {
        received.Add(context);
        return Task.CompletedTask;
    }
}
