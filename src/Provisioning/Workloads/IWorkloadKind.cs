using System.Text.Json.Nodes;
using Provisioning.Drift;
using Provisioning.Orchestrations;

namespace Provisioning.Workloads;

/// <summary>
/// One kind of workload a run deploys: one ARM resource type with its template reader, its deploy steps and what
/// proves it ready. Everything else of a run — lane, prerequisites, identity, grants, compensation from the run's
/// ledger, the status — is the same for every kind (<see cref="ProvisioningRun"/>). A new kind is a folder under
/// <c>Workloads/</c> with an implementation of this interface, and one line in <see cref="WorkloadKinds"/>.
/// </summary>
internal interface IWorkloadKind
{
    /// <summary>The ARM resource type, which a template's <c>workload.type</c> names (e.g. <c>Microsoft.ContainerInstance/containerGroups</c>).</summary>
    string ResourceType { get; }

    /// <summary>What the workload is called in messages (e.g. "container group").</summary>
    string DisplayName { get; }

    /// <summary>The Azure service that runs it, for messages (e.g. "Azure Container Instances").</summary>
    string ServiceName { get; }

    /// <summary>Which identities the workload can use to pull.</summary>
    WorkloadIdentityModes Identities { get; }

    /// <summary>Whether a network-restricted registry lets in, as a trusted service, only this kind's system-assigned identity.</summary>
    bool TrustedOnlyWithSystemIdentity { get; }

    /// <summary>Whether the kind pulls with ARM-audience tokens (Container Apps), which a registry accepts only with <c>azureADAuthenticationAsArmPolicy</c> enabled.</summary>
    bool PullsWithArmAudienceTokens => false;

    /// <summary>
    /// Paths in <see cref="ResolvedWorkload.Body"/> that hold secrets (<c>[*]</c> for every array item): they are
    /// encrypted before the run is scheduled and decrypted only when the body is sent to ARM.
    /// </summary>
    IReadOnlyList<string> SecretPaths { get; }

    /// <summary>The activities the kind's deploy steps call, registered with every engine alongside the run's own.</summary>
    IReadOnlyList<Type> Activities { get; }

    /// <summary>
    /// Reads and checks the template's <c>workload</c> as Azure would, recording each problem in the context. At load
    /// time (<see cref="WorkloadReadContext.Target"/> null) expressions are not evaluated yet and nothing is returned;
    /// at bind time the evaluated workload becomes the resource to deploy, or null when there were errors.
    /// </summary>
    ResolvedWorkload? Read(JsonObject workload, WorkloadReadContext context);

    /// <summary>The registry login servers the workload pulls from with its identity, which the prerequisites check.</summary>
    IReadOnlyList<string> PulledRegistries(ResolvedWorkload workload);

    /// <summary>
    /// The deploy steps, run inside the provisioning orchestration (so they replay deterministically): deploy, follow
    /// the operation, prove readiness, retry with durable backoff while a grant propagates. Everything they create is
    /// recorded on <paramref name="run"/>'s ledger, which compensation deletes. For a system-assigned identity they also
    /// grant <see cref="WorkloadIdentity.Grants"/> once the resource, and so its principal, exists.
    /// </summary>
    Task<WorkloadReady> DeployAsync(ProvisioningRun run, ResolvedWorkload workload, WorkloadIdentity identity);

    /// <summary>What drift means for the kind (how ARM lists it and what can differ); null when drift scans do not look at its resource.</summary>
    IWorkloadDrift? Drift => null;
}
