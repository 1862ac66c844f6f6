using Provisioning.Durable.Embedded.Diagnostics;

namespace Provisioning.Durable.Embedded.Dispatching;

/// <summary>
/// Leases instances that have visible messages and runs their episodes, at most
/// <see cref="EmbeddedEngineOptions.MaxConcurrentOrchestrations"/> at a time. It sleeps until a commit in this
/// process, a due timer or the poll interval wakes it.
/// </summary>
internal sealed class OrchestrationDispatcher(EngineRuntime runtime)
{
    private readonly OrchestrationWorker _worker = new(runtime);
    private readonly WorkItemTracker _running = new();
    private DateTimeOffset _nextTimerLookup = DateTimeOffset.MinValue;

    public async Task RunAsync(CancellationToken stopping)
    {
        var max = Math.Max(1, runtime.Options.MaxConcurrentOrchestrations);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var free = max - _running.Count;
                if (free > 0)
                {
                    var now = runtime.Time.GetUtcNow();
                    var items = await runtime.Store.LockOrchestrationsAsync(runtime.Worker, free, now, now + runtime.Options.LeaseDuration, stopping);
                    foreach (var item in items)
                    {
                        _running.Start(() => ProcessAsync(item, stopping), runtime.OrchestrationSignal.Set);
                    }

                    if (items.Count == free)
                    {
                        continue;
                    }

                    // Timers this process creates arm the wake as they are committed; this look-up (once per poll
                    // interval, not per loop) finds the ones already in the store: after a restart, or another process's.
                    // After a timer wake it runs at once: the wake arms only the earliest time, so the next is read here.
                    var woken = runtime.TimerWake.TakeFired();
                    if (woken || now >= _nextTimerLookup)
                    {
                        _nextTimerLookup = now + runtime.Options.PollInterval;
                        if (await runtime.Store.GetNextVisibleTimeAsync(now, stopping) is { } next)
                        {
                            runtime.TimerWake.WakeAt(next);
                        }
                    }
                }

                await runtime.OrchestrationSignal.WaitAsync(runtime.Options.PollInterval, runtime.Time, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // The loop must outlive a failed fetch (e.g. a locked file); it logs and tries again.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                EngineLog.DispatcherFailed(runtime.Logger, "orchestration", exception);
                await WaitQuietlyAsync(stopping);
            }
        }

        await _running.DrainAsync();
    }

    private async Task ProcessAsync(Storage.OrchestrationWorkItem item, CancellationToken stopping)
    {
        try
        {
            await _worker.ProcessAsync(item, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutdown: the lease is released with the others, or expires; the episode runs again after restart.
        }
#pragma warning disable CA1031 // One instance's failure must not stop the others; it is released and retried.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            EngineLog.OrchestrationProcessingFailed(runtime.Logger, item.Instance.InstanceId, exception);
            try
            {
                await runtime.Store.ReleaseOrchestrationAsync(item.Instance.InstanceId, runtime.Worker, CancellationToken.None);
            }
#pragma warning disable CA1031 // The lease then simply expires.
            catch (Exception)
#pragma warning restore CA1031
            {
            }

            await WaitQuietlyAsync(stopping);
        }
    }

    private async Task WaitQuietlyAsync(CancellationToken stopping)
    {
        try
        {
            await Task.Delay(runtime.Options.PollInterval, runtime.Time, stopping);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
