using System.Text.Json.Nodes;
using Provisioning.Arm.Resources;
using Provisioning.Drift;
using Provisioning.Workloads;
using Provisioning.Workloads.ContainerApps;

namespace Provisioning.Tests.Drift;

/// <summary>
/// How a container app's list item is compared with the body its run deployed, on the cases the emulator does not
/// produce: a settled app whose latest revision never became ready, an update still going, an identity added by hand.
/// </summary>
public sealed class ContainerAppDriftCompareTests
{
    private const string AppId = "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg/providers/Microsoft.App/containerApps/web";

    private static readonly ResolvedWorkload Desired = new("Microsoft.App/containerApps", ArmResourceId.Parse(AppId), JsonNode.Parse("""
        {"location":"westeurope","identity":{"type":"SystemAssigned"},
         "properties":{"configuration":{"registries":[{"server":"acr.azurecr.io","identity":"system"}]},
                       "template":{"containers":[{"name":"web","image":"acr.azurecr.io/web:1.0"}]}}}
        """)!.AsObject());

    private static JsonObject Listed(string state, string latest, string? ready, string identityType = "SystemAssigned")
    {
        // The list item as Azure returns it: the deployed body, with the identity's principal and the app's states.
        var item = (JsonObject)Desired.Body.DeepClone();
        item["id"] = AppId;
        item["identity"] = new JsonObject { ["type"] = identityType, ["principalId"] = "p" };
        var properties = item["properties"]!.AsObject();
        properties["provisioningState"] = state;
        properties["latestRevisionName"] = latest;
        if (ready is not null)
        {
            properties["latestReadyRevisionName"] = ready;
        }

        return item;
    }

    [Fact]
    public void A_settled_app_whose_latest_revision_never_became_ready_has_failed()
    {
        var finding = Assert.Single(new ContainerAppDrift().Compare(Desired, Listed("Succeeded", "web--b", "web--a")));

        Assert.Equal((DriftKind.WorkloadFailed, "properties.latestReadyRevisionName", "web--b", "web--a"), (finding.Kind, finding.Property, finding.Expected, finding.Actual));
        Assert.Equal("none", Assert.Single(new ContainerAppDrift().Compare(Desired, Listed("Succeeded", "web--b", null))).Actual);
    }

    [Fact]
    public void An_app_still_updating_or_running_its_latest_revision_is_not_drift()
    {
        Assert.Empty(new ContainerAppDrift().Compare(Desired, Listed("InProgress", "web--b", "web--a")));
        Assert.Empty(new ContainerAppDrift().Compare(Desired, Listed("Succeeded", "web--b", "web--b")));
    }

    [Fact]
    public void A_user_assigned_identity_added_by_hand_changes_the_identity()
    {
        var finding = Assert.Single(new ContainerAppDrift().Compare(Desired, Listed("Succeeded", "web--a", "web--a", "SystemAssigned,UserAssigned")));

        Assert.Equal((DriftKind.WorkloadChanged, "identity", "SystemAssigned", "SystemAssigned,UserAssigned"), (finding.Kind, finding.Property, finding.Expected, finding.Actual));
    }
}
