using System.Globalization;
using System.Text.Json.Nodes;
using Provisioning.Activities;
using Provisioning.Arm.Operations;
using Provisioning.Orchestrations;

namespace Provisioning.Workloads.ContainerApps;

/// <summary>
/// A container app's deploy steps, inside the run: create the managed environment when the template asks for one; for
/// a system-assigned identity, create the app with the public placeholder image, read its principal and grant it (as
/// Azure documents: an app created straight with a private image and a brand-new identity times out); then deploy the
/// app with its own images until its latest revision is provisioned and running. A revision refused by the registry
/// while a grant this run made propagates is deployed again as a new revision, with durable backoff, until the
/// readiness deadline; any other revision failure ends the run.
/// </summary>
internal sealed class ContainerAppDeployment(ProvisioningRun run, ResolvedWorkload workload, WorkloadIdentity identity)
{
    private readonly CreatedResource _app = new("ContainerApp", workload.ResourceId.ToString());

    public async Task<WorkloadReady> DeployUntilReadyAsync()
    {
        var timings = run.Timings;
        run.Enter(ProvisioningPhase.Deploying);
        if (workload.Body[ContainerAppReader.EnvironmentKey] is JsonObject environment)
        {
            await EnsureEnvironmentAsync(environment);
        }

        var principal = identity.PrincipalId;
        if (identity.SystemAssigned)
        {
            principal = await SystemPrincipalAsync();
            await run.GrantAsync(principal, identity.Grants, systemAssigned: true);
        }

        var grantMayPropagate = run.HasCreated("RoleAssignment");
        var deadline = run.Context.CurrentUtcDateTime + timings.ReadinessDeadline;
        for (var attempt = 1; ; attempt++)
        {
            var attemptStartedAt = run.Context.CurrentUtcDateTime;
            run.Enter(ProvisioningPhase.Deploying);
            run.SetStatus(attempt, message: attempt == 1 ? "Deploying the container app." : "Deploying the container app again as a new revision.");
            var status = await DeployAsync(placeholder: false, attempt, deadline);
            if (status.IsReady)
            {
                var outputs = new JsonObject { ["fqdn"] = status.Fqdn, ["revision"] = status.LatestRevision };
                return new WorkloadReady($"The container app's revision '{status.LatestRevision}' is provisioned and running.", attempt, outputs, principal);
            }

            var failure = $"The revision '{status.LatestRevision}' is {status.RevisionProvisioningState ?? status.ProvisioningState ?? "unknown"}: {status.RevisionError ?? "no error reported"}";
            if (!IsPullRefusal(status.RevisionError))
            {
                throw new ProvisioningFailedException($"{failure}.");
            }

            if (!grantMayPropagate)
            {
                throw new ProvisioningFailedException($"{failure}. The grants existed before this run, so the refusal is not propagation: check the role and its scope.");
            }

            if (run.Context.CurrentUtcDateTime >= deadline)
            {
                throw new ProvisioningFailedException(
                    $"The image pull was still refused {timings.ReadinessDeadline.TotalMinutes:0.#} minutes after the grant ({attempt} revisions). Last: {failure}.");
            }

            await run.WaitForGrantAsync(attempt, deadline, $"{failure}; the pull grant may not be effective yet.", attemptStartedAt);
        }
    }

    private async Task EnsureEnvironmentAsync(JsonObject environment)
    {
        var id = environment["id"]!.GetValue<string>();
        run.SetStatus(1, message: "Creating the managed environment.");
        var start = await run.StepAsync<ManagedEnvironmentStart>(
            nameof(BeginManagedEnvironment),
            new ManagedEnvironmentRequest(id, (JsonObject)environment["body"]!, run.Context.InstanceId),
            run.TransitioningPolicy);

        // Recorded only when this run creates it: an environment that was there before is never deleted.
        run.Record(!start.ExistedBefore, new CreatedResource("ManagedEnvironment", id));
        if (start.OperationJson is { } operation)
        {
            var outcome = await run.FollowOperationAsync(operation, 1);
            if (outcome.State != ArmOperationState.Succeeded)
            {
                throw new ProvisioningFailedException($"The managed environment '{id}' was not created: {outcome.ErrorCode} {outcome.ErrorMessage}".TrimEnd());
            }
        }
    }

    /// <summary>The app's system-assigned principal: the app's own when it has one, else from a create with the placeholder image.</summary>
    private async Task<string> SystemPrincipalAsync()
    {
        var existing = await run.StepAsync<ContainerAppStatus>(nameof(GetContainerAppStatus), workload.ResourceId, run.TransientPolicy);
        if (existing.SystemPrincipalId is { } principal)
        {
            return principal;
        }

        run.SetStatus(1, message: $"Creating the container app with the public image {BeginContainerAppDeployment.PlaceholderImage}: its system-assigned identity exists only once the app does.");
        var placeholder = await DeployAsync(placeholder: true, 1, run.Context.CurrentUtcDateTime + run.Timings.ReadinessDeadline);
        if (!placeholder.IsReady)
        {
            throw new ProvisioningFailedException(
                $"The container app did not start with the public placeholder image: the revision '{placeholder.LatestRevision}' is {placeholder.RevisionProvisioningState ?? placeholder.ProvisioningState}: {placeholder.RevisionError ?? "no error reported"}.");
        }

        return placeholder.SystemPrincipalId
            ?? throw new ProvisioningFailedException($"The container app '{workload.ResourceId.Name}' has no system-assigned principal after it was created with one.");
    }

    /// <summary>One PUT of the app, followed to its end, then its latest revision watched until it is no longer provisioning.</summary>
    private async Task<ContainerAppStatus> DeployAsync(bool placeholder, int attempt, DateTime deadline)
    {
        // A retry of the same template must start a new revision, which only a new revision suffix guarantees.
        var suffix = attempt > 1 ? string.Create(CultureInfo.InvariantCulture, $"r{attempt}-{RunTag()}") : null;
        var start = await run.StepAsync<ContainerAppStart>(
            nameof(BeginContainerAppDeployment),
            new ContainerAppRequest(workload, run.Context.InstanceId, placeholder, suffix),
            run.TransitioningPolicy);
        run.Record(!start.ExistedBefore, _app);
        await run.FollowOperationAsync(start.OperationJson, attempt);
        var status = await run.StepAsync<ContainerAppStatus>(nameof(GetContainerAppStatus), workload.ResourceId, run.TransientPolicy);
        while (status.IsProvisioning && run.Context.CurrentUtcDateTime < deadline)
        {
            run.SetStatus(attempt, run.Context.CurrentUtcDateTime + run.Timings.OperationPollInterval, $"The revision '{status.LatestRevision}' is provisioning.");
            await run.WaitAsync(run.Timings.OperationPollInterval);
            status = await run.StepAsync<ContainerAppStatus>(nameof(GetContainerAppStatus), workload.ResourceId, run.TransientPolicy);
        }

        return status;
    }

    // Short and lowercase, so revision names stay within Azure's limits; FNV-1a of the instance id, because string hash
    // codes differ between processes and the name must be the same on every replay.
    private string RunTag()
    {
        var hash = 2166136261u;
        foreach (var c in run.Context.InstanceId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash.ToString("x8", CultureInfo.InvariantCulture)[..6];
    }

    // The registry's refusal of a token without the grant ("unauthorized: authentication required"), as the revision reports it.
    private static bool IsPullRefusal(string? error) =>
        error is not null && error.Contains("unauthorized", StringComparison.OrdinalIgnoreCase);
}
