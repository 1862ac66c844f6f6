using Microsoft.DurableTask.Client;
using Provisioning.Plan;
using Provisioning.Runs;
using Provisioning.Templates.Binding;

namespace Provisioning.EndToEnd.Tests.Drift;

/// <summary>The what-if: computed from the template and ARM reads, it changes nothing.</summary>
public sealed class PlanTests
{
    [Fact]
    public async Task A_plan_names_what_a_run_would_create_change_or_replace_and_sends_only_gets()
    {
        await using var sandbox = await DriftSandbox.StartAsync();
        var starter = new ProvisioningStarter(sandbox.Catalog, sandbox.Client, DriftSandbox.Timings);
        var target = new TemplateTarget(sandbox.Emulator.SubscriptionId, DriftSandbox.ResourceGroup, "westeurope");
        var planner = new ProvisioningPlanner(sandbox.ArmClient);

        var before = sandbox.Emulator.GetRequestLog().Count;
        var fresh = await planner.PlanAsync(starter.Bind("site", sandbox.Parameters("planned"), target));

        Assert.Equal(["identity", "grant", "workload"], fresh.Items.Select(item => item.Resource));
        Assert.All(fresh.Items, item => Assert.Equal(PlanAction.Create, item.Action));
        Assert.All(sandbox.Emulator.GetRequestLog().Skip(before), request => Assert.Equal("GET", request.Method));
        Assert.DoesNotContain(sandbox.Emulator.GetInventory(), entry => entry.Id.Contains("planned", StringComparison.OrdinalIgnoreCase));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await sandbox.ProvisionAsync("planned")).RuntimeStatus);
        var same = await planner.PlanAsync(starter.Bind("site", sandbox.Parameters("planned"), target));
        Assert.All(same.Items, item => Assert.Equal(PlanAction.NoChange, item.Action));

        before = sandbox.Emulator.GetRequestLog().Count;
        var newImage = await planner.PlanAsync(starter.Bind("site", sandbox.Parameters("planned", image: "web:2.0"), target));
        var workload = Assert.Single(newImage.Items, item => item.Resource == "workload");
        Assert.Equal(PlanAction.Update, workload.Action);
        Assert.Equal("properties.containers[web].properties.image: driftacr.azurecr.io/web:1.0 → driftacr.azurecr.io/web:2.0", Assert.Single(workload.Changes));
        Assert.All(newImage.Items.Where(item => item.Resource != "workload"), item => Assert.Equal(PlanAction.NoChange, item.Action));

        // What ACI cannot update in place forces a replace.
        var bigger = starter.Bind("site", sandbox.Parameters("planned"), target);
        var body = bigger.Workload.Body.DeepClone().AsObject();
        body["properties"]!["containers"]![0]!["properties"]!["resources"]!["requests"]!["cpu"] = 2;
        var replace = await planner.PlanAsync(bigger with { Workload = bigger.Workload with { Body = body } });
        var replaced = Assert.Single(replace.Items, item => item.Resource == "workload");
        Assert.Equal(PlanAction.Replace, replaced.Action);
        Assert.Contains(replaced.Changes, change => change.Contains("web", StringComparison.Ordinal));
        Assert.All(sandbox.Emulator.GetRequestLog().Skip(before), request => Assert.Equal("GET", request.Method));
    }
}
