using System.Text.Json.Nodes;
using Provisioning.Activities;
using Provisioning.Arm;
using Provisioning.Arm.ContainerRegistry;
using Provisioning.Arm.Resources;

namespace Provisioning.Workloads.RegistryTasks;

/// <summary>
/// Creates or updates the ACR task with the run's identity: its system-assigned one, or the user-assigned identity
/// the run ensured (whose client id replaces the identity's resource id in <c>credentials.customRegistries</c>, as ACR
/// wants it). A task that did not exist is tagged with the run, so ownership survives a crash between the PUT and its
/// record; a task someone else created keeps their tags and is never deleted by compensation.
/// </summary>
public sealed class EnsureRegistryTask(ProvisioningArmClient arm) : ArmActivity<RegistryTaskRequest, RegistryTaskState>(arm)
{
    /// <inheritdoc />
    protected override async Task<RegistryTaskState> ExecuteAsync(RegistryTaskRequest input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var id = input.Workload.ResourceId;
        var existing = await Arm.RegistryTasks.GetAsync(id, cancellationToken);
        var existedBefore = existing is not null && !OwnershipTag.IsOwnedBy(existing.Tags, input.RunId);

        var tags = (input.Workload.Body["tags"] as JsonObject)?.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? string.Empty, StringComparer.Ordinal)
            ?? new Dictionary<string, string>(StringComparer.Ordinal);
        if (OwnershipTag.CreatorFor(input.RunId, existing?.Tags, existedBefore) is { } creator)
        {
            tags[OwnershipTag.Name] = creator;
        }

        var properties = (JsonObject)input.Workload.Body["properties"]!.DeepClone();
        if (input.IdentityId is { } identityId && properties["credentials"]?["customRegistries"] is JsonObject registries)
        {
            foreach (var (_, entry) in registries)
            {
                if (entry?["identity"] is JsonValue value && value.TryGetValue<string>(out var text) && string.Equals(text, identityId, StringComparison.OrdinalIgnoreCase))
                {
                    entry["identity"] = input.ClientId;
                }
            }
        }

        var definition = input.IdentityId is { } userAssigned
            ? new RegistryTaskDefinition(input.Workload.Location!, RegistryTaskIdentityType.UserAssigned, [ArmResourceId.Parse(userAssigned)], properties) { Tags = tags }
            : new RegistryTaskDefinition(input.Workload.Location!, RegistryTaskIdentityType.SystemAssigned, [], properties) { Tags = tags };
        var task = await Arm.RegistryTasks.CreateOrUpdateAsync(id, definition, cancellationToken);
        return new RegistryTaskState(existedBefore, task.SystemPrincipalId);
    }
}

/// <summary>The task to ensure, with the run's identity.</summary>
/// <param name="Workload">The task.</param>
/// <param name="RunId">The orchestration instance id.</param>
/// <param name="IdentityId">The user-assigned identity's resource id; null for the task's system-assigned identity.</param>
/// <param name="ClientId">The user-assigned identity's client id, which ACR wants in <c>customRegistries</c>.</param>
public sealed record RegistryTaskRequest(ResolvedWorkload Workload, string RunId, string? IdentityId, string? ClientId);

/// <summary>The ensured task.</summary>
/// <param name="ExistedBefore">Whether the task existed before this run (then compensation leaves it alone).</param>
/// <param name="SystemPrincipalId">Its system-assigned principal, when it has one.</param>
public sealed record RegistryTaskState(bool ExistedBefore, string? SystemPrincipalId);
