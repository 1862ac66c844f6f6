using Provisioning.Arm.Resources;

namespace Provisioning.Arm.ContainerInstance;

/// <summary>A container group as ARM returns it, with its instance view.</summary>
/// <param name="Id">Its resource id.</param>
/// <param name="Location">Its region.</param>
/// <param name="ProvisioningState">Pending, Creating, Succeeded, Failed, Canceled…</param>
/// <param name="State">The instance view state (Running, Stopped, Pending, Succeeded, Failed), if reported.</param>
/// <param name="OsType">Linux or Windows, as returned.</param>
/// <param name="IpAddress">The IP address, if any.</param>
/// <param name="Fqdn">The fully qualified domain name of a public group with a DNS label, if any.</param>
/// <param name="IdentityType">The identity type text, e.g. <c>UserAssigned</c>.</param>
/// <param name="UserAssignedIdentities">The user-assigned identities' resource ids.</param>
/// <param name="ImageRegistryCredentials">The registry credentials (server, identity).</param>
/// <param name="Containers">The containers and their instance views.</param>
/// <param name="Events">The group's events.</param>
public sealed record ContainerGroupInstance(
    ArmResourceId Id,
    string Location,
    string? ProvisioningState,
    string? State,
    string? OsType,
    string? IpAddress,
    string? Fqdn,
    string? IdentityType,
    IReadOnlyList<string> UserAssignedIdentities,
    IReadOnlyList<RegistryCredentialView> ImageRegistryCredentials,
    IReadOnlyList<ContainerInstanceView> Containers,
    IReadOnlyList<ContainerEvent> Events)
{
    /// <summary>What ACI cannot update in place on this group (OS, restart policy, network, resources).</summary>
    public ContainerGroupProfile? Profile { get; init; }

    /// <summary>The group's tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether the group is up: provisioning succeeded and every container is running.</summary>
    public bool IsRunning =>
        string.Equals(ProvisioningState, "Succeeded", StringComparison.OrdinalIgnoreCase)
        && Containers.Count > 0
        && Containers.All(c => string.Equals(c.CurrentState?.State, "Running", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Whether the group ran to its end successfully, as a job (<c>restartPolicy</c> <c>Never</c> or <c>OnFailure</c>)
    /// does: provisioning succeeded and every container is <c>Terminated</c> with exit code 0.
    /// </summary>
    public bool HasCompleted =>
        string.Equals(ProvisioningState, "Succeeded", StringComparison.OrdinalIgnoreCase)
        && Containers.Count > 0
        && Containers.All(c => string.Equals(c.CurrentState?.State, "Terminated", StringComparison.OrdinalIgnoreCase) && c.CurrentState?.ExitCode == 0);

    /// <summary>Whether a container has ended (<c>Terminated</c>) with an exit code other than 0.</summary>
    public bool HasFailedContainer =>
        Containers.Any(c => string.Equals(c.CurrentState?.State, "Terminated", StringComparison.OrdinalIgnoreCase) && c.CurrentState?.ExitCode is not null and not 0);
}
