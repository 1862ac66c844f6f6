using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Provisioning.Arm.Resources;
using Provisioning.Orchestrations;
using Provisioning.Templates.Binding;
using Provisioning.Templates.Loading;

namespace Provisioning.EndToEnd.Tests.GrantOnly;

/// <summary>Grant-only runs (issue 14 §2) through the real engine against the emulator: a VM's identity, an existing identity.</summary>
public sealed class GrantOnlyTests
{
    private const string VmTemplate = """
        name: vm-grant
        parameters:
          registryId: { type: string }
          vmName: { type: string, defaultValue: build-agent }
          principal: { type: string, defaultValue: system }
        identity: { type: SystemAssigned }
        grants:
          - role: AcrPull
            scope: "[parameters('registryId')]"
        workload:
          type: Microsoft.Compute/virtualMachines
          name: "[parameters('vmName')]"
          principal: "[parameters('principal')]"
        """;

    private const string IdentityTemplate = """
        name: identity-grant
        parameters:
          registryId: { type: string }
        identity: { type: SystemAssigned }
        grants:
          - role: AcrPull
            scope: "[parameters('registryId')]"
        workload:
          type: Microsoft.ManagedIdentity/userAssignedIdentities
          name: ci-runner
        """;

    [Fact]
    public async Task A_VMs_system_identity_is_granted_listed_for_its_principal_and_called_ready_as_an_estimate()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(ProvisioningSandbox.QuickAzure);
        var vm = await CreateVmAsync(sandbox, """{"type":"SystemAssigned"}""");
        var principal = vm["identity"]!["principalId"]!.GetValue<string>();
        sandbox.Emulator.ClearRequestLog();

        var done = await sandbox.RunAsync(Input(sandbox, VmTemplate, TimeSpan.FromSeconds(1)));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<ProvisioningResult>()!;
        Assert.Equal(principal, result.PrincipalId);
        Assert.Null(result.IdentityId);
        var assignment = Assert.Single(result.RoleAssignmentIds);
        Assert.Equal([assignment], result.Created);
        Assert.Equal("estimate", result.Outputs!["readiness"]!.GetValue<string>());
        Assert.Equal(1, result.Outputs!["propagationWaitSeconds"]!.GetValue<double>());
        Assert.True(result.PhaseSeconds[nameof(ProvisioningPhase.WaitingForGrantPropagation)] >= 1);

        var message = (string?)JsonNode.Parse(done.SerializedCustomStatus!)!["message"];
        Assert.Equal(
            $"AcrPull on '{ProvisioningSandbox.Registry}' is granted to the system-assigned identity of the VM 'build-agent': the assignment is listed for principal {principal} and the 1-second propagation wait has passed. This is an estimate, not a proof: nothing has used the grant yet.",
            message);

        // Readiness (1) listed the assignments at the registry (the list, not the GET of one assignment by name).
        Assert.Contains(sandbox.Emulator.GetRequestLog(), entry => entry.Method == "GET" && entry.Path.EndsWith("/providers/Microsoft.Authorization/roleAssignments", StringComparison.OrdinalIgnoreCase));
        var listed = await sandbox.ArmClient.RoleAssignments.ListForPrincipalAsync(ArmResourceId.Parse(sandbox.RegistryId), principal, CancellationToken.None);
        Assert.Equal(assignment, Assert.Single(listed).Id);

        // Nothing was deployed or changed: no VM PUT, no identity.
        Assert.DoesNotContain(sandbox.Emulator.GetRequestLog(), entry => entry.Method != "GET" && !entry.Path.Contains("roleAssignments", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_user_assigned_identity_attached_to_the_VM_is_the_principal_when_named()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(ProvisioningSandbox.QuickAzure);
        var identity = await CreateIdentityAsync(sandbox, "vm-pull");
        var identityId = identity["id"]!.GetValue<string>();
        await CreateVmAsync(sandbox, "{\"type\":\"SystemAssigned, UserAssigned\",\"userAssignedIdentities\":{\"" + identityId + "\":{}}}");

        var done = await sandbox.RunAsync(Input(sandbox, VmTemplate, TimeSpan.FromMilliseconds(200), ("principal", identityId)));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(identity["properties"]!["principalId"]!.GetValue<string>(), done.ReadOutputAs<ProvisioningResult>()!.PrincipalId);
    }

    [Fact]
    public async Task An_existing_identity_is_granted_and_never_recorded_as_created()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(ProvisioningSandbox.QuickAzure);
        var identity = await CreateIdentityAsync(sandbox, "ci-runner");

        var done = await sandbox.RunAsync(Input(sandbox, IdentityTemplate, TimeSpan.FromMilliseconds(200)));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<ProvisioningResult>()!;
        Assert.Equal(identity["properties"]!["principalId"]!.GetValue<string>(), result.PrincipalId);
        Assert.Equal(result.RoleAssignmentIds, result.Created);
        Assert.EndsWith("/userAssignedIdentities/ci-runner", result.WorkloadId, StringComparison.Ordinal);
        Assert.Contains("the user-assigned identity 'ci-runner'", (string?)JsonNode.Parse(done.SerializedCustomStatus!)!["message"], StringComparison.Ordinal);

        // A second run finds the grant: nothing changed, no wait, still not a proof.
        var again = await sandbox.RunAsync(Input(sandbox, IdentityTemplate, TimeSpan.FromMinutes(10)));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, again.RuntimeStatus);
        Assert.Empty(again.ReadOutputAs<ProvisioningResult>()!.Created);
        Assert.Contains("was already granted", (string?)JsonNode.Parse(again.SerializedCustomStatus!)!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_cancelled_during_the_propagation_wait_removes_only_its_assignment_and_leaves_the_VM()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(ProvisioningSandbox.QuickAzure);
        await CreateVmAsync(sandbox, """{"type":"SystemAssigned"}""");
        var before = sandbox.Inventory();

        var id = await sandbox.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ProvisionWorkload), Input(sandbox, VmTemplate, TimeSpan.FromMinutes(5)));
        var waiting = await WaitForPhaseAsync(sandbox, id, ProvisioningPhase.WaitingForGrantPropagation);
        Assert.Contains("This is an estimate", (string?)waiting["message"], StringComparison.Ordinal);
        Assert.Contains(sandbox.Inventory(), resource => resource.Contains("/ROLEASSIGNMENTS/", StringComparison.Ordinal));

        await sandbox.Client.RaiseEventAsync(id, ProvisionWorkload.CancelEventName);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var done = await sandbox.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("cancelled during WaitingForGrantPropagation", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(before, sandbox.Inventory());
    }

    [Fact]
    public async Task A_VM_without_a_system_identity_or_a_missing_identity_is_refused_with_the_fix_and_nothing_changes()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(ProvisioningSandbox.QuickAzure);
        await CreateVmAsync(sandbox, null);
        var before = sandbox.Inventory();

        var noIdentity = await sandbox.RunAsync(Input(sandbox, VmTemplate, TimeSpan.Zero));
        var missing = await sandbox.RunAsync(Input(sandbox, IdentityTemplate, TimeSpan.Zero));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, noIdentity.RuntimeStatus);
        Assert.Contains("The VM 'build-agent' has no system-assigned identity (its identity type is 'None'). Turn it on (az vm identity assign -g rg-e2e -n build-agent)", noIdentity.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, missing.RuntimeStatus);
        Assert.Contains("does not exist. A grant-only run grants to an existing identity and never creates one: create it (az identity create -g rg-e2e -n ci-runner)", missing.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(before, sandbox.Inventory());
    }

    private static ProvisioningInput Input(ProvisioningSandbox sandbox, string yaml, TimeSpan propagationWait, params (string Name, string Value)[] parameters)
    {
        var values = new Dictionary<string, JsonNode?> { ["registryId"] = sandbox.RegistryId };
        foreach (var (name, value) in parameters)
        {
            values[name] = value;
        }

        var resolved = TemplateLoader.Parse(yaml, "grant.yaml").Bind(values, new TemplateTarget(sandbox.Emulator.SubscriptionId, ProvisioningSandbox.ResourceGroup, "westeurope"));
        return new ProvisioningInput(resolved, ProvisioningSandbox.FastTimings with { GrantPropagationWait = propagationWait });
    }

    private static async Task<JsonObject> CreateVmAsync(ProvisioningSandbox sandbox, string? identity)
    {
        var body = $$$$"""
            {"location":"westeurope",{{{{(identity is null ? string.Empty : "\"identity\":" + identity + ",")}}}}"properties":{
              "hardwareProfile":{"vmSize":"Standard_B1s"},
              "storageProfile":{"imageReference":{"publisher":"Canonical","offer":"ubuntu-24_04-lts","sku":"server","version":"latest"},"osDisk":{"createOption":"FromImage"}},
              "osProfile":{"computerName":"build-agent","adminUsername":"azureuser","linuxConfiguration":{"disablePasswordAuthentication":true}},
              "networkProfile":{"networkInterfaces":[{"id":"{{{{sandbox.Subscription}}}}/resourceGroups/{{{{ProvisioningSandbox.ResourceGroup}}}}/providers/Microsoft.Network/networkInterfaces/build-agent-nic"}]}}}
            """;
        using var response = await sandbox.PutAsync($"{sandbox.Subscription}/resourceGroups/{ProvisioningSandbox.ResourceGroup}/providers/Microsoft.Compute/virtualMachines/build-agent", "2024-11-01", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<JsonObject> CreateIdentityAsync(ProvisioningSandbox sandbox, string name)
    {
        using var response = await sandbox.PutAsync($"{sandbox.Subscription}/resourceGroups/{ProvisioningSandbox.ResourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}", "2024-11-30", """{"location":"westeurope"}""");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<JsonNode> WaitForPhaseAsync(ProvisioningSandbox sandbox, string instanceId, ProvisioningPhase phase)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var metadata = await sandbox.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
            if (metadata?.SerializedCustomStatus is { } text && JsonNode.Parse(text) is { } status && (string?)status["phase"] == phase.ToString())
            {
                return status;
            }

            Assert.False(metadata?.IsCompleted, $"The run finished first: {metadata?.RuntimeStatus} {metadata?.FailureDetails}");
            await Task.Delay(20, timeout.Token);
        }
    }
}
