using System.Text.Json.Nodes;
using Provisioning.Activities;
using Provisioning.Arm;
using Provisioning.Arm.ContainerInstance;
using Provisioning.Arm.Errors;

namespace Provisioning.Workloads.ContainerGroups;

/// <summary>
/// Starts the container group's create-or-update and returns the operation handle, which the orchestration keeps in
/// its history and polls — so polling resumes after a restart instead of starting the deployment again. A group
/// that did not exist is tagged with the run, so ownership survives a crash between the PUT and its record.
/// A synchronous pull refusal (<c>InaccessibleImage</c>) is an answer here, not a failure: the grant may simply not be
/// effective yet, and the orchestration decides whether to wait.
/// </summary>
public sealed class BeginContainerGroupDeployment(ProvisioningArmClient arm) : ArmActivity<DeploymentRequest, DeploymentStart>(arm)
{
    /// <inheritdoc />
    protected override async Task<DeploymentStart> ExecuteAsync(DeploymentRequest input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var id = input.Workload.ResourceId;
        var existing = await Arm.ContainerGroups.GetAsync(id, cancellationToken);
        var existedBefore = existing is not null && !OwnershipTag.IsOwnedBy(existing.Tags, input.RunId);
        if (existing?.Profile?.RestrictedChanges(ContainerGroupProfile.OfBody(input.Workload.Body)) is { Count: > 0 } changes)
        {
            // ACI refuses these changes on an existing group: only delete + create makes them. That is this product's call
            // for a group it created (any run's tag), never for a group someone else owns.
            var what = string.Join("; ", changes);
            if (existing.Tags.ContainsKey(OwnershipTag.Name))
            {
                return new DeploymentStart(null, existedBefore, PullRefusal: null) { ReplaceBecause = what };
            }

            throw new InvalidOperationException(
                $"The container group '{id.Name}' exists and was not created by this product, and the template changes what Azure cannot update in place ({what}). " +
                "Delete the group yourself so the next run creates it, or change the template back to the group's values.");
        }

        var body = (JsonObject)input.Workload.Body.DeepClone();
        var tags = body["tags"] as JsonObject ?? new JsonObject();
        body["tags"] = tags;
        if (OwnershipTag.CreatorFor(input.RunId, existing?.Tags, existedBefore) is { } creator)
        {
            tags[OwnershipTag.Name] = creator;
        }

        try
        {
            var operation = await Arm.ContainerGroups.BeginCreateOrUpdateAsync(id, body, cancellationToken);
            return new DeploymentStart(operation.ToJson(), existedBefore, PullRefusal: null);
        }
        catch (ArmException error) when (error.Kind == ArmErrorKind.RetryLater && PullFailure.IsPullError(error.Code))
        {
            return new DeploymentStart(null, existedBefore, $"{error.Code}: {error.Error.Message}");
        }
        catch (ArmException error) when (error.Status == 409 && string.Equals(error.Code, "ServiceUnavailable", StringComparison.OrdinalIgnoreCase))
        {
            // A 409 ServiceUnavailable is ACI's capacity answer, not a 5xx blip: it lasts minutes, so it is retried on its own scale.
            throw new AzureCapacityException(input.Workload.Location ?? "(no location)", error.Error.Message, error);
        }
    }
}

/// <summary>The workload to deploy, and the run asking.</summary>
/// <param name="Workload">The container group.</param>
/// <param name="RunId">The orchestration instance id.</param>
public sealed record DeploymentRequest(ResolvedWorkload Workload, string RunId);

/// <summary>How the deployment started.</summary>
/// <param name="OperationJson">The operation handle to poll, or null when the PUT was refused.</param>
/// <param name="ExistedBefore">Whether the group existed before this run (then compensation leaves it alone).</param>
/// <param name="PullRefusal">Why the image pull was refused at once, if it was.</param>
public sealed record DeploymentStart(string? OperationJson, bool ExistedBefore, string? PullRefusal)
{
    /// <summary>Set when nothing was sent because the group, created by this product, must be replaced: what changes.</summary>
    public string? ReplaceBecause { get; init; }
}
