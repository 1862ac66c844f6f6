using Provisioning.Arm.Resources;

namespace Provisioning.Arm.ContainerApps;

/// <summary>What a run reads of a Container Apps managed environment.</summary>
/// <param name="Id">Its resource id.</param>
/// <param name="Location">Its region.</param>
/// <param name="ProvisioningState">Waiting, InitializationInProgress, Succeeded, Failed, …</param>
/// <param name="DefaultDomain">The domain its apps' FQDNs end with.</param>
/// <param name="Tags">Its tags.</param>
public sealed record ManagedEnvironment(ArmResourceId Id, string Location, string? ProvisioningState, string? DefaultDomain, IReadOnlyDictionary<string, string> Tags);
