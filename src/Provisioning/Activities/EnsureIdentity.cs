using Provisioning.Arm;
using Provisioning.Templates.Binding;

namespace Provisioning.Activities;

/// <summary>
/// Ensures the user-assigned identity exists. A new identity is tagged with the run that created it, so a retry of
/// this activity after a crash still knows the identity is this run's (and compensation deletes it), while an
/// identity that existed before — or that an earlier run created — is reported as found and never deleted.
/// </summary>
public sealed class EnsureIdentity(ProvisioningArmClient arm) : ArmActivity<EnsureIdentityRequest, IdentityResult>(arm)
{
    /// <inheritdoc />
    protected override async Task<IdentityResult> ExecuteAsync(EnsureIdentityRequest input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var tags = new Dictionary<string, string> { [OwnershipTag.Name] = input.RunId };
        var ensured = await Arm.Identities.EnsureAsync(input.Identity.ResourceId, input.Identity.Location, tags, cancellationToken);
        var identity = ensured.Resource;
        var ours = ensured.Created || OwnershipTag.IsOwnedBy(identity.Tags, input.RunId);
        return new IdentityResult(identity.Id.ToString(), identity.PrincipalId, identity.ClientId, identity.TenantId, ours);
    }
}

/// <summary>The identity to ensure, and the run asking.</summary>
/// <param name="Identity">The identity.</param>
/// <param name="RunId">The orchestration instance id.</param>
public sealed record EnsureIdentityRequest(ResolvedIdentity Identity, string RunId);

/// <summary>The ensured identity.</summary>
/// <param name="Id">Its resource id.</param>
/// <param name="PrincipalId">Its service principal's object id.</param>
/// <param name="ClientId">Its client (application) id.</param>
/// <param name="TenantId">Its tenant.</param>
/// <param name="Created">Whether this run created it.</param>
public sealed record IdentityResult(string Id, string PrincipalId, string ClientId, string TenantId, bool Created);
