using System.Security.Cryptography;
using System.Text;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.Authorization;

/// <summary>
/// The deterministic name of a role assignment: a name-based UUID (RFC 4122 version 5, SHA-1) of the scope,
/// the principal and the role, so the same grant always PUTs the same name (idempotent, never a duplicate,
/// never <c>RoleAssignmentUpdateNotPermitted</c>).
/// </summary>
public static class RoleAssignmentName
{
    /// <summary>The UUID namespace of this project's role assignment names.</summary>
    public static readonly Guid Namespace = new("362bfa4f-ccda-4cf5-99fa-8a5bfbc367b2");

    /// <summary>
    /// The name for (scope, principal, role). The name text is
    /// <c>lower(scope) + "\n" + lower(principalId) + "\n" + lower(roleDefinitionGuid)</c>: ARM ids are
    /// case-insensitive, and the role is reduced to its GUID so the tenant-level and subscription-level
    /// forms of the same role give the same name.
    /// </summary>
    /// <param name="scope">The assignment scope.</param>
    /// <param name="principalId">The principal's object id.</param>
    /// <param name="roleDefinitionId">The role definition: a GUID or a full role definition id.</param>
    public static Guid For(ArmResourceId scope, string principalId, string roleDefinitionId)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentException.ThrowIfNullOrWhiteSpace(principalId);
        var role = RoleGuid(roleDefinitionId);
        var name = string.Join('\n', scope.ToString().ToLowerInvariant(), principalId.Trim().ToLowerInvariant(), role.ToString("D"));
        return Version5(Namespace, name);
    }

    /// <summary>The role definition GUID of a GUID or a full role definition id (<c>…/roleDefinitions/{guid}</c>).</summary>
    /// <param name="roleDefinitionId">The role definition.</param>
    public static Guid RoleGuid(string roleDefinitionId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(roleDefinitionId);
        var last = roleDefinitionId.TrimEnd('/').Split('/')[^1];
        return Guid.TryParse(last, out var guid)
            ? guid
            : throw new ArgumentException($"'{roleDefinitionId}' is neither a role definition GUID nor a role definition id ending in one.", nameof(roleDefinitionId));
    }

    /// <summary>An RFC 4122 version 5 UUID of a name in a namespace.</summary>
    /// <param name="namespaceId">The namespace UUID.</param>
    /// <param name="name">The name (encoded as UTF-8).</param>
    public static Guid Version5(Guid namespaceId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var namespaceBytes = namespaceId.ToByteArray(bigEndian: true);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[namespaceBytes.Length + nameBytes.Length];
        namespaceBytes.CopyTo(input, 0);
        nameBytes.CopyTo(input, namespaceBytes.Length);
#pragma warning disable CA5350 // SHA-1 is what RFC 4122 version 5 specifies; this is naming, not security.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
