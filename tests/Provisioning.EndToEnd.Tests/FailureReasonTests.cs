using Microsoft.DurableTask.Client;
using Provisioning.ArmEmulator.Faults;

namespace Provisioning.EndToEnd.Tests;

/// <summary>
/// ACI gives a failed deployment's reason in <c>properties.events</c> of the operation status, not in <c>error</c>, and
/// failure events can be typed <c>Normal</c>: the run's failure must still say why.
/// </summary>
public sealed class FailureReasonTests
{
    [Fact]
    public async Task A_deployment_failed_with_a_Normal_typed_event_reports_the_event_and_compensates()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(new FaultSettings
        {
            PrincipalReplicationDelay = TimeSpan.Zero,
            GrantPropagationDelay = TimeSpan.Zero,
            ProvisioningDuration = TimeSpan.FromMilliseconds(300),
            FailingResources = ["web"],
        });
        var before = sandbox.Inventory();

        var done = await sandbox.RunAsync(sandbox.Input());

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("FailedMount: The resource 'web' is configured to fail", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(before, sandbox.Inventory());
    }
}
