namespace Provisioning.Arm.ContainerInstance;

/// <summary>A registry credential of an existing container group, as returned (no secrets are returned).</summary>
/// <param name="Server">The login server.</param>
/// <param name="Identity">The identity's resource id, or null for a username credential.</param>
public sealed record RegistryCredentialView(string Server, string? Identity);
