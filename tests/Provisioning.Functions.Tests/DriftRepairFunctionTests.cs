using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Provisioning.Drift;
using Provisioning.Functions.Timers;

namespace Provisioning.Functions.Tests;

/// <summary>The drift timer: it starts the drift-repair orchestration by name under its fixed id, one at a time.</summary>
public sealed class DriftRepairFunctionTests
{
    private const string Finish = "finish";

    private static Task TickAsync(DurableTaskClient client)
        => new DriftRepairFunction(NullLogger<DriftRepairFunction>.Instance).RepairDrift(new TimerInfo(), client, CancellationToken.None);

    [Fact]
    public async Task A_tick_starts_the_drift_orchestration_under_its_fixed_id_and_no_second_while_it_runs()
    {
        // A stand-in for drift repair (not built yet): it runs until told to finish.
        await using var host = await DurableTaskTestHost.StartAsync(registry => registry.AddOrchestrator(DriftRepairNames.Orchestrator, new DriftRepairStandIn()));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await TickAsync(host.Client);
        var first = await host.Client.WaitForInstanceStartAsync(DriftRepairNames.InstanceId, timeout.Token);
        Assert.Equal(DriftRepairNames.Orchestrator, first.Name);
        Assert.Equal(OrchestrationRuntimeStatus.Running, first.RuntimeStatus);

        await TickAsync(host.Client);
        var still = await host.Client.GetInstanceAsync(DriftRepairNames.InstanceId, timeout.Token);
        Assert.Equal(first.CreatedAt, still!.CreatedAt);
        Assert.Equal(OrchestrationRuntimeStatus.Running, still.RuntimeStatus);

        await host.Client.RaiseEventAsync(DriftRepairNames.InstanceId, Finish, "done", timeout.Token);
        var finished = await host.Client.WaitForInstanceCompletionAsync(DriftRepairNames.InstanceId, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, finished.RuntimeStatus);

        await TickAsync(host.Client);
        var next = await host.Client.WaitForInstanceStartAsync(DriftRepairNames.InstanceId, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Running, next.RuntimeStatus);
        Assert.True(next.CreatedAt >= finished.LastUpdatedAt, "a finished drift repair is replaced by the next tick's");
    }

    private sealed class DriftRepairStandIn : TaskOrchestrator<string?, string>
    {
        public override Task<string> RunAsync(TaskOrchestrationContext context, string? input) => context.WaitForExternalEvent<string>(Finish);
    }
}
