namespace Provisioning.Arm.Resources;

/// <summary>What the rules read of a resource group.</summary>
/// <param name="Id">Its resource id.</param>
/// <param name="Location">Its region (where its resources go by default).</param>
/// <param name="Tags">Its tags (names as ARM returns them).</param>
/// <param name="ProvisioningState">Succeeded, or Deleting while it is being deleted.</param>
public sealed record ResourceGroup(ArmResourceId Id, string Location, IReadOnlyDictionary<string, string> Tags, string? ProvisioningState);
