using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Provisioning.Arm.Resources;
using Provisioning.ArmEmulator.Faults;
using Provisioning.Orchestrations;

namespace Provisioning.EndToEnd.Tests;

/// <summary>
/// Container groups that are jobs (<c>restartPolicy</c> <c>Never</c> or <c>OnFailure</c>): ACI reports them
/// <c>Succeeded</c> with every container <c>Terminated</c>, exit code 0, once they ran; that is the run's success.
/// </summary>
public sealed class AciJobTests
{
    private static readonly FaultSettings QuickAzure = new()
    {
        PrincipalReplicationDelay = TimeSpan.FromSeconds(1),
        GrantPropagationDelay = TimeSpan.Zero,
        ProvisioningDuration = TimeSpan.FromMilliseconds(300),
    };

    [Theory]
    [InlineData("Never")]
    [InlineData("OnFailure")]
    public async Task A_job_whose_containers_exit_with_code_0_is_a_success_and_is_kept(string restartPolicy)
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(QuickAzure);
        var yaml = ProvisioningSandbox.TemplateYaml.Replace("osType: Linux", "osType: Linux\n    restartPolicy: " + restartPolicy, StringComparison.Ordinal);
        var started = DateTime.UtcNow;

        var done = await sandbox.RunAsync(sandbox.Input(templateYaml: yaml, timings: ProvisioningSandbox.FastTimings with { ReadinessDeadline = TimeSpan.FromMinutes(5) }));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        // Without the job rule, the run would wait out the five-minute deadline instead.
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(60));
        var result = done.ReadOutputAs<ProvisioningResult>()!;
        var group = await sandbox.ArmClient.ContainerGroups.GetAsync(ArmResourceId.Parse(result.WorkloadId), CancellationToken.None);
        Assert.NotNull(group);
        Assert.True(group.HasCompleted);
        Assert.All(group.Containers, container => Assert.Equal(0, container.CurrentState!.ExitCode));
        Assert.Contains("exited with code 0", (string?)JsonNode.Parse(done.SerializedCustomStatus!)!["message"], StringComparison.Ordinal);
    }
}
