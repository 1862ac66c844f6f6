using System.Text.Json.Nodes;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.Tests.Emulator;

/// <summary>The grant-only and Key Vault access clients against the emulator over HTTPS.</summary>
public sealed class VirtualMachineAndKeyVaultClientTests
{
    [Fact]
    public async Task A_VM_is_read_with_its_system_principal_and_each_attached_identitys_principal_and_a_missing_VM_is_null()
    {
        await using var env = await EmulatorEnvironment.StartAsync();
        await env.CreateResourceGroupAsync("vms");
        var client = env.NewClient();
        var identityId = ArmResourceId.ForResource(env.SubscriptionId, "vms", "Microsoft.ManagedIdentity/userAssignedIdentities", "agent-id");
        var identity = (await client.Identities.EnsureAsync(identityId, "westeurope", null, CancellationToken.None)).Resource;
        var vmId = ArmResourceId.ForResource(env.SubscriptionId, "vms", "Microsoft.Compute/virtualMachines", "agent");
        var body = JsonNode.Parse($$$$"""
            {"location":"westeurope","identity":{"type":"SystemAssigned, UserAssigned","userAssignedIdentities":{"{{{{identityId}}}}":{}}},
             "properties":{"hardwareProfile":{"vmSize":"Standard_B1s"},"storageProfile":{"osDisk":{"createOption":"FromImage"} } } }
            """)!.AsObject();
        using (var put = await env.PutRawAsync($"{vmId}?api-version={ArmApiVersions.VirtualMachines}", body))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        var vm = await client.VirtualMachines.GetAsync(vmId, CancellationToken.None);
        var missing = await client.VirtualMachines.GetAsync(ArmResourceId.ForResource(env.SubscriptionId, "vms", "Microsoft.Compute/virtualMachines", "gone"), CancellationToken.None);

        Assert.Equal("SystemAssigned, UserAssigned", vm!.IdentityType);
        Assert.True(Guid.TryParse(vm.SystemPrincipalId, out _));
        Assert.Equal(identity.PrincipalId, vm.UserAssignedPrincipal(identityId));
        Assert.Null(vm.UserAssignedPrincipal(ArmResourceId.ForResource(env.SubscriptionId, "vms", "Microsoft.ManagedIdentity/userAssignedIdentities", "other")));
        Assert.Null(missing);
        await Assert.ThrowsAsync<ArgumentException>(() => client.VirtualMachines.GetAsync(identityId, CancellationToken.None));
    }

    [Fact]
    public async Task Access_policy_add_merges_into_one_principals_entry_and_remove_takes_out_only_what_it_names()
    {
        await using var env = await EmulatorEnvironment.StartAsync();
        await env.CreateResourceGroupAsync("kv");
        var client = env.NewClient();
        var vaultId = ArmResourceId.ForResource(env.SubscriptionId, "kv", "Microsoft.KeyVault/vaults", "kv-client");
        var body = JsonNode.Parse($$$$"""{"location":"westeurope","properties":{"tenantId":"{{{{env.Server.TenantId}}}}","sku":{"family":"A","name":"standard"},"accessPolicies":[]}}""")!.AsObject();
        using (var put = await env.PutRawAsync($"{vaultId}?api-version={ArmApiVersions.KeyVaults}", body))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        var principal = Guid.NewGuid().ToString();
        var other = Guid.NewGuid().ToString();
        await client.KeyVaults.AddAccessPolicyAsync(vaultId, env.Server.TenantId, principal, ["get"], CancellationToken.None);
        await client.KeyVaults.AddAccessPolicyAsync(vaultId, env.Server.TenantId, other, ["list"], CancellationToken.None);
        var merged = await client.KeyVaults.AddAccessPolicyAsync(vaultId, env.Server.TenantId, principal, ["list"], CancellationToken.None);
        var afterRemove = await client.KeyVaults.RemoveAccessPolicyAsync(vaultId, env.Server.TenantId, principal, ["list"], CancellationToken.None);
        var vault = await client.KeyVaults.GetAsync(vaultId, CancellationToken.None);

        Assert.Equal(["get", "list"], merged.Single(p => p.ObjectId == principal).SecretPermissions);
        Assert.Equal(["get"], afterRemove.Single(p => p.ObjectId == principal).SecretPermissions);
        Assert.Equal(["get"], vault!.SecretPermissionsOf(principal));
        Assert.Equal(["list"], vault.SecretPermissionsOf(other));
        Assert.False(vault.EnableRbacAuthorization);
        Assert.True(vault.EnableSoftDelete);
        Assert.Equal(env.Server.TenantId, vault.TenantId);
        Assert.Null(await client.KeyVaults.GetAsync(ArmResourceId.ForResource(env.SubscriptionId, "kv", "Microsoft.KeyVault/vaults", "kv-gone"), CancellationToken.None));
        Assert.Empty(env.RejectedRequests());
    }
}
