namespace Provisioning.Arm.Resources;

/// <summary>What a resource id designates.</summary>
public enum ArmResourceIdKind
{
    /// <summary>A subscription: <c>/subscriptions/{id}</c>.</summary>
    Subscription,

    /// <summary>A resource group: <c>/subscriptions/{id}/resourceGroups/{name}</c>.</summary>
    ResourceGroup,

    /// <summary>A resource under a provider namespace.</summary>
    Resource,
}
