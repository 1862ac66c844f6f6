using Microsoft.DurableTask.Client;
using Provisioning.Arm.Resources;
using Provisioning.ArmEmulator.Faults;
using Provisioning.Orchestrations;

namespace Provisioning.EndToEnd.Tests;

/// <summary>
/// ACI refuses a PUT that changes the OS type, restart policy, network profile or resources of an existing group. The
/// run sees such a change before the PUT: a group this product created is replaced (delete, then create) as a visible
/// phase; a group someone else created is left alone and the run says why it stops.
/// </summary>
public sealed class UpdateRestrictionTests
{
    private static readonly FaultSettings QuickAzure = new()
    {
        PrincipalReplicationDelay = TimeSpan.Zero,
        GrantPropagationDelay = TimeSpan.Zero,
        ProvisioningDuration = TimeSpan.FromMilliseconds(300),
    };

    private static string WithRestartPolicy(string policy) =>
        ProvisioningSandbox.TemplateYaml.Replace("osType: Linux", "osType: Linux\n    restartPolicy: " + policy, StringComparison.Ordinal);

    [Fact]
    public async Task A_change_Azure_cannot_make_in_place_replaces_a_group_this_product_created()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(QuickAzure);
        var first = await sandbox.RunAsync(sandbox.Input());
        Assert.Equal(OrchestrationRuntimeStatus.Completed, first.RuntimeStatus);

        var second = await sandbox.RunAsync(sandbox.Input(templateYaml: WithRestartPolicy("OnFailure")));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, second.RuntimeStatus);
        var result = second.ReadOutputAs<ProvisioningResult>()!;
        Assert.Contains(nameof(ProvisioningPhase.Replacing), result.PhaseSeconds.Keys);
        var group = await sandbox.ArmClient.ContainerGroups.GetAsync(ArmResourceId.Parse(result.WorkloadId), CancellationToken.None);
        Assert.Equal("OnFailure", group!.Profile!.RestartPolicy);
        Assert.True(group.HasCompleted);
        Assert.DoesNotContain(sandbox.Emulator.GetRequestLog(), entry => entry is { Method: "PUT", ErrorCode: "InvalidContainerGroupUpdate" });
    }

    [Fact]
    public async Task A_change_Azure_cannot_make_in_place_on_a_group_someone_else_created_is_refused_and_the_group_kept()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(QuickAzure);
        var groupPath = $"{sandbox.Subscription}/resourceGroups/{ProvisioningSandbox.ResourceGroup}/providers/Microsoft.ContainerInstance/containerGroups/web";
        using (var put = await sandbox.PutAsync(groupPath, "2025-09-01", """
            {
              "location": "westeurope",
              "properties": {
                "containers": [ { "name": "web", "properties": { "image": "mcr.microsoft.com/azuredocs/aci-helloworld", "ports": [ { "port": 80 } ],
                  "resources": { "requests": { "cpu": 1, "memoryInGB": 1.5 } } } } ],
                "osType": "Linux",
                "restartPolicy": "Always"
              }
            }
            """))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        var before = sandbox.Inventory();

        var done = await sandbox.RunAsync(sandbox.Input(templateYaml: WithRestartPolicy("Never")));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("was not created by this product", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("restartPolicy Always → Never", done.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(before, sandbox.Inventory());
    }
}
