using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WabaHooks.Hosting.Diagnostics;
using WabaHooks.Hosting.Sinks;
using WabaHooks.Events;
using WabaHooks.Storage;

namespace WabaHooks.Hosting.Handlers;

/// <summary>Runs one attempt of one (event, handler) pair and records how it went. Never throws.</summary>
internal sealed class HandlerInvoker(
    HandlerRegistration handler,
    ISinkWorkStore work,
    IServiceScopeFactory scopes,
    HandlerOptions options,
    WabaHooksMetrics metrics,
    TimeProvider time,
    ILogger logger)
{
    /// <param name="item">The claimed work.</param>
    /// <param name="e">Its event.</param>
    /// <param name="traceParent">The context stored with the event's delivery, for the invocation span's link.</param>
    /// <param name="abort">Cancelled at shutdown.</param>
    public async Task RunAsync(SinkWorkItem item, WabaEvent e, string? traceParent, CancellationToken abort)
    {
        var attempt = item.Attempts + 1;
        ConversationOrder.NoteIfLate(item, metrics, logger);
        // Current while the handler runs, so spans the handler starts are its children.
        using var activity = WabaHooksActivities.StartSinkAttempt("process", ActivityKind.Consumer, handler.Name, item, 1, traceParent);
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        string? error = null;
        var interrupted = false;
        var timedOut = false;

        using var timeout = new CancellationTokenSource(options.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, abort);
        var scope = scopes.CreateAsyncScope();
        Task? running = null;
        try
        {
            running = handler.InvokeAsync(e, attempt, item.IsLate, scope.ServiceProvider, linked.Token);
            // WaitAsync, so a handler that ignores its token still gives its slot back when the timeout fires.
            await running.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            interrupted = true;
            error = "interrupted by shutdown";
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            timedOut = true;
            error = $"timed out after {options.Timeout}";
        }
        catch (Exception ex)
        {
            error = $"{ex.GetType().FullName}: {ex.Message}";
        }
        finally
        {
            await DisposeWhenDoneAsync(scope, running).ConfigureAwait(false);
        }

        if (error is not null)
        {
            // The kind of failure only: an exception's message may quote the event.
            activity?.SetStatus(ActivityStatusCode.Error, interrupted ? "interrupted" : timedOut ? "timeout" : "failed");
        }

        var elapsed = time.GetElapsedTime(started);
        metrics.HandlerInvoked(
            handler.Name,
            error is null ? WabaHooksMetrics.AttemptOutcomes.Success
            : interrupted ? WabaHooksMetrics.AttemptOutcomes.Interrupted
            : timedOut ? WabaHooksMetrics.AttemptOutcomes.Timeout
            : WabaHooksMetrics.AttemptOutcomes.Failure,
            elapsed);
        var now = time.GetUtcNow();
        DateTimeOffset? retryAt = null;
        if (error is null)
        {
            // Done: no retry.
        }
        else if (interrupted)
        {
            // Not the handler's fault: due again at once, for this process after a restart or for another one.
            retryAt = now;
            HandlerLog.Interrupted(logger, handler.Name, e.Id, attempt);
        }
        else if (attempt < options.MaxAttempts)
        {
            retryAt = now + NextDelay(attempt);
            HandlerLog.WillRetry(logger, handler.Name, e.Id, attempt, error, retryAt.Value);
        }
        else
        {
            metrics.HandlerDeadLettered(handler.Name);
            HandlerLog.DeadLettered(logger, handler.Name, e.Id, attempt, error);
            error = ConversationOrder.DeadLetterError(item, error, metrics, logger);
        }

        await RecordAsync(item, new SinkAttempt(e.Id, handler.Name, attempt, startedAt, elapsed, error is null, null, error, null), retryAt)
            .ConfigureAwait(false);
    }

    /// <summary>Dead-letters work that can no longer be handed over (its delivery is gone, or it no longer matches).</summary>
    public Task GiveUpAsync(SinkWorkItem item, string reason)
    {
        var attempt = item.Attempts + 1;
        metrics.HandlerDeadLettered(handler.Name);
        HandlerLog.DeadLettered(logger, handler.Name, item.EventId, attempt, reason);
        reason = ConversationOrder.DeadLetterError(item, reason, metrics, logger);
        return RecordAsync(item, new SinkAttempt(item.EventId, handler.Name, attempt, time.GetUtcNow(), TimeSpan.Zero, false, null, reason, null), null);
    }

    private async Task RecordAsync(SinkWorkItem item, SinkAttempt attempt, DateTimeOffset? retryAt)
    {
        try
        {
            // Not cancellable: an outcome reached during shutdown is still worth keeping.
            await work.RecordAttemptAsync(item, attempt, retryAt, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StoreUnavailableException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            HandlerLog.RecordFailed(logger, handler.Name, item.EventId, attempt.Number, ex.GetType().Name);
        }
    }

    private TimeSpan NextDelay(int attempt) => Backoff.Delay(attempt, options.BaseDelay, options.MaxDelay, Random.Shared);

    private static async Task DisposeWhenDoneAsync(AsyncServiceScope scope, Task? running)
    {
        if (running is null || running.IsCompleted)
        {
            await scope.DisposeAsync().ConfigureAwait(false);
            return;
        }

        // An abandoned handler may still use its services: dispose them when it finally returns.
        _ = running.ContinueWith(static (_, s) => ((AsyncServiceScope)s!).DisposeAsync().AsTask(), scope, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
    }
}
