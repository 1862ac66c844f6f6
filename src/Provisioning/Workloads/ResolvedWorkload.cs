using System.Text.Json.Nodes;
using Provisioning.Arm.Resources;

namespace Provisioning.Workloads;

/// <summary>
/// The workload to deploy, every expression evaluated: its kind (the ARM type), its id and the body to PUT, in ARM's
/// own shape. Plain data, kept in the run's history, so a kind reads it the same way on every replay.
/// </summary>
/// <param name="Kind">The ARM resource type, which picks the <see cref="IWorkloadKind"/>.</param>
/// <param name="ResourceId">Its resource id.</param>
/// <param name="Body">The resource body to PUT (location, tags, identity, properties); secrets in it are encrypted.</param>
public sealed record ResolvedWorkload(string Kind, ArmResourceId ResourceId, JsonObject Body)
{
    /// <summary>The region the body names.</summary>
    public string? Location => Body["location"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>The vault whose secrets the workload's identity needs (a template's <c>workload.keyVault</c>), or null. Not sent to ARM with <see cref="Body"/>.</summary>
    public KeyVaultAccess.KeyVaultAccessSpec? KeyVault { get; init; }
}
