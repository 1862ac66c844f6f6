using System.Text.Json.Nodes;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.ContainerRegistry;

/// <summary>A task of <c>Microsoft.ContainerRegistry/registries/tasks</c> as ARM returns it.</summary>
/// <param name="Id">The task's resource id (what <c>TaskRunRequest.taskId</c> names).</param>
/// <param name="Location">Its region.</param>
/// <param name="ProvisioningState">Creating, Updating, Deleting, Succeeded, Failed or Canceled, if reported.</param>
/// <param name="Status">Enabled or Disabled, if reported.</param>
/// <param name="StepType">Docker, FileTask or EncodedTask, if reported.</param>
/// <param name="Identity">Its identities, or null when it has none.</param>
/// <param name="CustomRegistryIdentities">
/// <c>credentials.customRegistries</c>: login server → the identity it logs in with (a client id, or <c>[system]</c>),
/// null for an entry that uses a user name and password instead.
/// </param>
/// <param name="Tags">Resource tags.</param>
public sealed record RegistryTask(
    ArmResourceId Id,
    string Location,
    string? ProvisioningState,
    string? Status,
    string? StepType,
    RegistryTaskIdentity? Identity,
    IReadOnlyDictionary<string, string?> CustomRegistryIdentities,
    IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>The task name.</summary>
    public string Name => Id.Name;

    /// <summary>The registry the task belongs to.</summary>
    public ArmResourceId RegistryId => Id.Parent!;

    /// <summary>The system-assigned principal's object id, when the task has one (null until ARM created it).</summary>
    public string? SystemPrincipalId => Identity?.HasSystemAssigned == true ? Identity.PrincipalId : null;

    /// <summary>
    /// <c>properties</c> as ARM returned them (a copy: platform, step, agentConfiguration, credentials, trigger...),
    /// for drift checks that compare more than the typed members.
    /// </summary>
    public JsonObject? Properties { get; init; }
}
