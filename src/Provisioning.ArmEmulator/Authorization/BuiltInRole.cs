namespace Provisioning.ArmEmulator.Authorization;

/// <summary>A built-in role definition and what it allows on a registry.</summary>
/// <param name="Id">The role definition GUID (the same in every tenant).</param>
/// <param name="RoleName">Display name.</param>
/// <param name="Description">Description.</param>
/// <param name="Actions">Control-plane actions.</param>
/// <param name="DataActions">Data-plane actions.</param>
/// <param name="PullsInRbacMode">Whether it allows image pulls on a registry in <c>LegacyRegistryPermissions</c> mode.</param>
/// <param name="PullsInAbacMode">Whether it allows image pulls on a registry in <c>AbacRepositoryPermissions</c> mode.</param>
public sealed record BuiltInRole(
    string Id,
    string RoleName,
    string Description,
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> DataActions,
    bool PullsInRbacMode,
    bool PullsInAbacMode);
