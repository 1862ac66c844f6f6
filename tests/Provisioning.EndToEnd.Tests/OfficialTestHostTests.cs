using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.ArmEmulator.Faults;
using Provisioning.Orchestrations;
using Provisioning.Runs;

namespace Provisioning.EndToEnd.Tests;

/// <summary>
/// The provisioning orchestration on the Durable Task SDK's own in-process test host, against the ARM emulator:
/// it completes there as on the embedded backend, so it needs nothing engine-specific.
/// </summary>
public sealed class OfficialTestHostTests
{
    [Fact]
    public async Task The_provisioning_orchestration_completes_on_the_official_test_host()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(new FaultSettings { PrincipalReplicationDelay = TimeSpan.FromSeconds(1), GrantPropagationDelay = TimeSpan.FromSeconds(1), ProvisioningDuration = TimeSpan.FromMilliseconds(300) });
        await using var host = await DurableTaskTestHost.StartAsync(
            tasks => tasks.AddProvisioning(),
            new DurableTaskTestHostOptions { ConfigureServices = services => services.AddSingleton(sandbox.ArmClient).AddSingleton(TimeProvider.System) });

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ProvisionWorkload), sandbox.Input());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);

        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{done.RuntimeStatus}: {done.FailureDetails}");
        var result = done.ReadOutputAs<ProvisioningResult>()!;
        Assert.EndsWith("/containerGroups/web", result.WorkloadId, StringComparison.Ordinal);
        Assert.Contains(sandbox.Inventory(), resource => resource.EndsWith("/CONTAINERGROUPS/WEB", StringComparison.Ordinal));
    }
}
