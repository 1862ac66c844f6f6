namespace Provisioning.ArmEmulator.State;

/// <summary>A principal of the emulated directory (Entra ID), created at a point in time.</summary>
/// <param name="ObjectId">The principal (object) id.</param>
/// <param name="ClientId">The application (client) id, for service principals.</param>
/// <param name="PrincipalType">User, Group or ServicePrincipal.</param>
/// <param name="DisplayName">A display name.</param>
/// <param name="CreatedAt">When it was created; it is visible to the directory after the replication delay.</param>
public sealed record DirectoryPrincipal(string ObjectId, string? ClientId, string PrincipalType, string DisplayName, DateTimeOffset CreatedAt);
