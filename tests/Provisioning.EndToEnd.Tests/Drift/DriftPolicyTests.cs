using Microsoft.DurableTask.Client;
using Provisioning.Arm;
using Provisioning.Drift;
using Provisioning.Orchestrations;

namespace Provisioning.EndToEnd.Tests.Drift;

/// <summary>The report policy, dry runs and the one-drift-run-at-a-time guard.</summary>
public sealed class DriftPolicyTests
{
    [Fact]
    public async Task A_dry_run_finds_without_repairing_and_a_report_policy_template_is_only_reported()
    {
        await using var sandbox = await DriftSandbox.StartAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await sandbox.ProvisionAsync("repaired")).RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await sandbox.ProvisionAsync("reported", template: "site-report")).RuntimeStatus);
        foreach (var name in new[] { "repaired", "reported" })
        {
            using var deleted = await sandbox.SendAsync(HttpMethod.Delete, sandbox.GroupId(name), ArmApiVersions.ContainerGroups);
            Assert.True(deleted.IsSuccessStatusCode);
            await sandbox.WaitUntilGoneAsync(sandbox.GroupId(name));
        }

        var dry = await sandbox.DriftAsync(dryRun: true);

        Assert.True(dry.DryRun);
        Assert.Equal(2, dry.Findings.Count(finding => finding.Kind == DriftKind.WorkloadDeleted));
        Assert.All(dry.Repairs, repair => Assert.Equal(DriftRepair.DryRun, repair.Status));
        Assert.Single(await sandbox.LaneAsync("repaired"));
        Assert.Single(await sandbox.LaneAsync("reported"));

        var real = await sandbox.DriftAsync();

        var reported = Assert.Single(real.Repairs, repair => repair.Template == "site-report");
        Assert.Equal((DriftRepair.Reported, (string?)null), (reported.Status, reported.RunId));
        Assert.Single(await sandbox.LaneAsync("reported"));
        Assert.DoesNotContain(sandbox.Emulator.GetInventory(), entry => entry.Id.Equals(sandbox.GroupId("reported"), StringComparison.OrdinalIgnoreCase));
        var repaired = Assert.Single(real.Repairs, repair => repair.Template == "site");
        Assert.Equal(DriftRepair.Completed, repaired.Status);
        Assert.Equal(2, (await sandbox.LaneAsync("repaired")).Count);
        Assert.Contains(sandbox.Emulator.GetInventory(), entry => entry.Id.Equals(sandbox.GroupId("repaired"), StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_tick_while_a_drift_run_is_going_starts_nothing()
    {
        await using var sandbox = await DriftSandbox.StartAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await sandbox.ProvisionAsync("slow")).RuntimeStatus);
        using (var deleted = await sandbox.SendAsync(HttpMethod.Delete, sandbox.GroupId("slow"), ArmApiVersions.ContainerGroups))
        {
            Assert.True(deleted.IsSuccessStatusCode);
        }

        await sandbox.WaitUntilGoneAsync(sandbox.GroupId("slow"));

        // The drift run follows its repair with a 3 s timer: it is still going when the next ticks come.
        Assert.True(await DriftRepairScheduler.ScheduleAsync(sandbox.Client, DriftSandbox.Request(poll: TimeSpan.FromSeconds(3))));
        var ticks = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => DriftRepairScheduler.ScheduleAsync(sandbox.Client, DriftSandbox.Request())));

        Assert.All(ticks, Assert.False);
        var done = await sandbox.WaitAsync(DriftRepairNames.InstanceId);
        var report = done.ReadOutputAs<DriftReport>()!;
        Assert.Equal(DriftRepair.Completed, Assert.Single(report.Repairs).Status);
        Assert.Equal(2, (await sandbox.LaneAsync("slow")).Count(run => run.Name == nameof(ProvisionWorkload)));

        // Once it has ended, the next tick starts a new one under the same id.
        Assert.True(await DriftRepairScheduler.ScheduleAsync(sandbox.Client, DriftSandbox.Request(dryRun: true)));
        Assert.Empty((await sandbox.WaitAsync(DriftRepairNames.InstanceId)).ReadOutputAs<DriftReport>()!.Findings);
    }
}
