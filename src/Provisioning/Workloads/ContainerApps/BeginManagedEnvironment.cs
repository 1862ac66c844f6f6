using System.Text.Json.Nodes;
using Provisioning.Activities;
using Provisioning.Arm;
using Provisioning.Arm.Resources;

namespace Provisioning.Workloads.ContainerApps;

/// <summary>
/// Starts creating the managed environment a template asks the run to create. One that already exists and is not this
/// run's is used as it is (never changed, never recorded, so never deleted); a new one is tagged with the run, so a
/// crash between the PUT and its record keeps it owned.
/// </summary>
public sealed class BeginManagedEnvironment(ProvisioningArmClient arm) : ArmActivity<ManagedEnvironmentRequest, ManagedEnvironmentStart>(arm)
{
    /// <inheritdoc />
    protected override async Task<ManagedEnvironmentStart> ExecuteAsync(ManagedEnvironmentRequest input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var id = ArmResourceId.Parse(input.Id);
        var existing = await Arm.ContainerApps.GetEnvironmentAsync(id, cancellationToken);
        if (existing is not null && !OwnershipTag.IsOwnedBy(existing.Tags, input.RunId))
        {
            return new ManagedEnvironmentStart(null, ExistedBefore: true);
        }

        var body = (JsonObject)input.Body.DeepClone();
        var tags = body["tags"] as JsonObject ?? new JsonObject();
        tags[OwnershipTag.Name] = input.RunId;
        body["tags"] = tags;
        var operation = await Arm.Resources.BeginCreateOrUpdateAsync(id, ArmApiVersions.ManagedEnvironments, body, cancellationToken);
        return new ManagedEnvironmentStart(operation.ToJson(), ExistedBefore: false);
    }
}

/// <summary>The environment to create.</summary>
/// <param name="Id">Its resource id.</param>
/// <param name="Body">Its body (location, tags, properties).</param>
/// <param name="RunId">The orchestration instance id, for the ownership tag.</param>
public sealed record ManagedEnvironmentRequest(string Id, JsonObject Body, string RunId);

/// <summary>The started create.</summary>
/// <param name="OperationJson">The operation to follow; null when the environment existed before this run.</param>
/// <param name="ExistedBefore">Whether it existed before this run (then compensation leaves it alone).</param>
public sealed record ManagedEnvironmentStart(string? OperationJson, bool ExistedBefore);
