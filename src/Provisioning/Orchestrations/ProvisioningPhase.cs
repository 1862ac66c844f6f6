using System.Text.Json.Serialization;

namespace Provisioning.Orchestrations;

/// <summary>Where a provisioning run is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProvisioningPhase>))]
public enum ProvisioningPhase
{
    /// <summary>Waiting for earlier runs of the same workload to finish (event-started runs take turns).</summary>
    Queued,

    /// <summary>Checking the registries before creating anything.</summary>
    CheckingPrerequisites,

    /// <summary>Ensuring the user-assigned identity.</summary>
    EnsuringIdentity,

    /// <summary>Granting roles (and waiting out principal replication).</summary>
    GrantingRoles,

    /// <summary>Deploying the container group and following the operation.</summary>
    Deploying,

    /// <summary>Deleting a group this product created whose change ACI cannot make in place (OS, restart policy, network, resources), to create it anew.</summary>
    Replacing,

    /// <summary>Waiting for the grant to become effective before the next deployment attempt.</summary>
    WaitingForGrantPropagation,

    /// <summary>Deleting what this run created, after a failure or a cancel.</summary>
    Compensating,

    /// <summary>Finished: the group is running.</summary>
    Succeeded,

    /// <summary>Finished: failed or cancelled, compensation done.</summary>
    Failed,

    /// <summary>Finished without changing anything: a run for a newer event of the same workload exists.</summary>
    Superseded,
}
