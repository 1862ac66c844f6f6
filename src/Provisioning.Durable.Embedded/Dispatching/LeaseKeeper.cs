using Provisioning.Durable.Embedded.Diagnostics;

namespace Provisioning.Durable.Embedded.Dispatching;

/// <summary>
/// Extends this worker's leases every third of the lease duration, so long activities and episodes keep their
/// work while a dead process's leases run out and its work moves to the next worker.
/// </summary>
internal sealed class LeaseKeeper(EngineRuntime runtime)
{
    public async Task RunAsync(CancellationToken stopping)
    {
        var period = runtime.Options.LeaseDuration / 3;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, runtime.Time, stopping);
                await runtime.Store.RenewLeasesAsync(runtime.Worker, runtime.Time.GetUtcNow() + runtime.Options.LeaseDuration, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // A failed renewal is retried next period; the lease has two more periods to go.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                EngineLog.LeaseRenewalFailed(runtime.Logger, runtime.Worker, exception);
            }
        }
    }
}
