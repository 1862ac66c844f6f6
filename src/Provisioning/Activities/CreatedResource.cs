using Provisioning.Arm.Resources;

namespace Provisioning.Activities;

/// <summary>A resource a run created, as its ledger keeps it and compensation deletes it.</summary>
/// <param name="Kind">What it is, for people: <c>Identity</c>, <c>RoleAssignment</c>, or the workload's kind (<c>ContainerGroup</c>, <c>RegistryTask</c>…).</param>
/// <param name="Id">Its full resource id, which alone decides how it is deleted.</param>
public sealed record CreatedResource(string Kind, string Id)
{
    /// <summary>The ledger's name for a resource's type: the last segment of its type, singular, capitalized (<c>containerGroups</c> → <c>ContainerGroup</c>).</summary>
    /// <param name="id">The resource id.</param>
    public static string KindOf(ArmResourceId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var type = id.ResourceType[(id.ResourceType.LastIndexOf('/') + 1)..];
        if (type.EndsWith('s'))
        {
            type = type[..^1];
        }

        return type.Length == 0 ? id.ResourceType : char.ToUpperInvariant(type[0]) + type[1..];
    }
}
