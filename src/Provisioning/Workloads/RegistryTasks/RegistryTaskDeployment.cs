using System.Globalization;
using System.Text.Json.Nodes;
using Provisioning.Activities;
using Provisioning.Orchestrations;

namespace Provisioning.Workloads.RegistryTasks;

/// <summary>
/// An ACR task's deploy steps, inside the run: ensure the task with the run's identity; for a system-assigned identity,
/// read the task's principal and grant it (it exists only once the task does); then schedule a run and follow it to its
/// end. ACR reports every failed run alike ("failed during run, err: exit status 1", the reason only in the run's log),
/// so a failed run is scheduled again with durable backoff only while a grant this run made may still be propagating,
/// until the readiness deadline; with grants that all existed before, a failure is the task's own and ends the run.
/// </summary>
internal sealed class RegistryTaskDeployment(ProvisioningRun run, ResolvedWorkload workload, WorkloadIdentity identity)
{
    public async Task<WorkloadReady> DeployUntilReadyAsync()
    {
        var timings = run.Timings;
        run.Enter(ProvisioningPhase.Deploying);
        run.SetStatus(1, message: "Creating or updating the task.");
        var state = await run.StepAsync<RegistryTaskState>(
            nameof(EnsureRegistryTask),
            new RegistryTaskRequest(workload, run.Context.InstanceId, identity.Id, identity.ClientId),
            run.TransitioningPolicy);
        run.Record(!state.ExistedBefore, new CreatedResource("RegistryTask", workload.ResourceId.ToString()));

        var principal = identity.PrincipalId;
        if (identity.SystemAssigned)
        {
            principal = state.SystemPrincipalId
                ?? throw new ProvisioningFailedException($"The task '{workload.ResourceId.Name}' has no system-assigned principal after it was created with one.");
            await run.GrantAsync(principal, identity.Grants, systemAssigned: true);
        }

        var grantMayPropagate = run.HasCreated("RoleAssignment");
        var deadline = run.Context.CurrentUtcDateTime + timings.ReadinessDeadline;
        var registryId = workload.ResourceId.Parent!.ToString();
        for (var attempt = 1; ; attempt++)
        {
            var attemptStartedAt = run.Context.CurrentUtcDateTime;
            run.Enter(ProvisioningPhase.Deploying);
            run.SetStatus(attempt, message: "Scheduling a run of the task.");
            var status = await run.StepAsync<RegistryTaskRunState>(nameof(ScheduleRegistryTaskRun), workload.ResourceId.ToString(), run.TransitioningPolicy);
            var giveUpAt = run.Context.CurrentUtcDateTime + timings.OperationTimeout;
            while (!status.IsTerminal)
            {
                if (run.Context.CurrentUtcDateTime >= giveUpAt)
                {
                    throw new ProvisioningFailedException(
                        $"The task run '{status.RunId}' was still {status.Status} after {timings.OperationTimeout.TotalMinutes:0.#} minutes.");
                }

                run.SetStatus(attempt, run.Context.CurrentUtcDateTime + timings.OperationPollInterval, $"The task run '{status.RunId}' is {status.Status}.");
                await run.WaitAsync(timings.OperationPollInterval);
                status = await run.StepAsync<RegistryTaskRunState>(nameof(GetRegistryTaskRun), new RegistryTaskRunRequest(registryId, status.RunId), run.TransientPolicy);
            }

            if (status.Succeeded)
            {
                var outputs = new JsonObject
                {
                    ["runId"] = status.RunId,
                    ["status"] = status.Status,
                    ["durationSeconds"] = status.DurationSeconds,
                    ["outputImages"] = new JsonArray(status.OutputImages.Select(image => (JsonNode?)JsonValue.Create(image)).ToArray()),
                };
                var took = status.DurationSeconds is { } seconds ? $" in {seconds.ToString("0.#", CultureInfo.InvariantCulture)} s" : string.Empty;
                return new WorkloadReady($"The task run '{status.RunId}' succeeded{took}.", attempt, outputs, principal);
            }

            var failure = $"The task run '{status.RunId}' ended {status.Status}: {status.ErrorMessage ?? "no error message"}";
            if (!grantMayPropagate)
            {
                throw new ProvisioningFailedException($"{failure}. The grants existed before this run, so this is the task's own failure; see the run's log in the registry.");
            }

            if (run.Context.CurrentUtcDateTime >= deadline)
            {
                throw new ProvisioningFailedException(
                    $"The task's runs still failed {timings.ReadinessDeadline.TotalMinutes:0.#} minutes after the grant ({attempt} runs). Last: {failure}.");
            }

            await run.WaitForGrantAsync(attempt, deadline, $"{failure}; the pull grant may not be effective yet.", attemptStartedAt);
        }
    }
}
