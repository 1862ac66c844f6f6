namespace Provisioning.ArmEmulator.ContainerRegistry;

/// <summary>How a pull authenticates: anonymously, as a principal (managed identity), or with the admin user.</summary>
/// <param name="PrincipalId">The identity's principal id, for identity pulls.</param>
/// <param name="Username">Admin user name, for password pulls.</param>
/// <param name="Password">Admin password, for password pulls.</param>
/// <param name="IsSystemAssigned">Whether the principal is the pulling resource's own system-assigned identity: for ACR
/// Tasks only that identity is a trusted service on a network-restricted registry.</param>
internal sealed record PullCredential(string? PrincipalId, string? Username = null, string? Password = null, bool IsSystemAssigned = false)
{
    public static readonly PullCredential Anonymous = new(PrincipalId: null);
}
