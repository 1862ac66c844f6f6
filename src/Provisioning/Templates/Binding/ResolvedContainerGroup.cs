using Provisioning.Arm.ContainerInstance;
using Provisioning.Arm.Resources;

namespace Provisioning.Templates.Binding;

/// <summary>The container group to deploy.</summary>
/// <param name="ResourceId">Its resource id.</param>
/// <param name="Definition">The body to PUT.</param>
public sealed record ResolvedContainerGroup(ArmResourceId ResourceId, ContainerGroupDefinition Definition);
