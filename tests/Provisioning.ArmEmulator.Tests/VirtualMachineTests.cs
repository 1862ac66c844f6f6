using System.Net;

namespace Provisioning.ArmEmulator.Tests;

public sealed class VirtualMachineTests
{
    // Trimmed from the REST spec's example "Create a vm with a system-assigned identity" shape.
    private const string Body = """
        {"location":"westeurope","identity":IDENTITY,"properties":{
          "hardwareProfile":{"vmSize":"Standard_B1s"},
          "storageProfile":{"imageReference":{"publisher":"Canonical","offer":"ubuntu-24_04-lts","sku":"server","version":"latest"},"osDisk":{"createOption":"FromImage"}},
          "osProfile":{"computerName":"build","adminUsername":"azureuser","linuxConfiguration":{"disablePasswordAuthentication":true}},
          "networkProfile":{"networkInterfaces":[{"id":"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/build-nic"}]}}}
        """;

    [Fact]
    public async Task A_VM_with_both_identities_reports_a_stable_system_principal_and_each_user_assigned_principal()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");
        var identity = await e.CreateIdentityAsync("rg", "vm-id");
        var identityId = identity["id"]!.GetValue<string>();
        var path = $"{e.Sub}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/build";
        var both = "{\"type\":\"SystemAssigned, UserAssigned\",\"userAssignedIdentities\":{\"" + identityId + "\":{}}}";

        using var put = await e.PutAsync(path, "2024-11-01", Body.Replace("IDENTITY", both, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var vm = await TestEmulator.JsonAsync(put);
        var principal = vm["identity"]!["principalId"]!.GetValue<string>();
        Assert.True(Guid.TryParse(principal, out _));
        Assert.Equal(identity["properties"]!["principalId"]!.GetValue<string>(), vm["identity"]!["userAssignedIdentities"]![identityId]!["principalId"]!.GetValue<string>());

        using var again = await e.PutAsync(path, "2024-11-01", Body.Replace("IDENTITY", both, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        using var get = await e.GetAsync(path, "2024-11-01");
        var read = await TestEmulator.JsonAsync(get);
        Assert.Equal(principal, read["identity"]!["principalId"]!.GetValue<string>());
        Assert.Equal("Succeeded", read["properties"]!["provisioningState"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_missing_user_assigned_identity_or_a_body_off_the_schema_is_refused()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");
        var path = $"{e.Sub}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/build";
        var missing = "{\"type\":\"UserAssigned\",\"userAssignedIdentities\":{\"" + e.Sub + "/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/nope\":{}}}";
        using var put = await e.PutAsync(path, "2024-11-01", Body.Replace("IDENTITY", missing, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("FailedIdentityOperation", await TestEmulator.ErrorCodeAsync(put));

        using var badType = await e.PutAsync(path, "2024-11-01", Body.Replace("IDENTITY", """{"type":"Everything"}""", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, badType.StatusCode);

        using var get = await e.GetAsync(path, "2024-11-01");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }
}
