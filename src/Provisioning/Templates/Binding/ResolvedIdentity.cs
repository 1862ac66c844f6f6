using Provisioning.Arm.Resources;

namespace Provisioning.Templates.Binding;

/// <summary>The user-assigned identity to ensure.</summary>
/// <param name="ResourceId">Its resource id.</param>
/// <param name="Location">Its region.</param>
public sealed record ResolvedIdentity(ArmResourceId ResourceId, string Location)
{
    /// <summary>The identity name.</summary>
    public string Name => ResourceId.Name;
}
