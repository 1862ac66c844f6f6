using Provisioning.Activities;
using Provisioning.Arm.Operations;
using Provisioning.Orchestrations;

namespace Provisioning.Workloads.ContainerGroups;

/// <summary>
/// A container group's deploy steps, inside the run: deploy, follow the operation, and while the image pull is refused
/// because the grant is not effective yet, wait with backoff and restart the failed group in place (ACI pulls the images
/// again on a restart; a group a synchronous refusal never created is created again), until the group runs or the
/// readiness deadline passes.
/// </summary>
internal sealed class ContainerGroupDeployment(ProvisioningRun run, ResolvedWorkload workload)
{
    public async Task<WorkloadReady> DeployUntilReadyAsync()
    {
        var timings = run.Timings;
        var deadline = run.Context.CurrentUtcDateTime + timings.ReadinessDeadline;
        var created = new CreatedResource(CreatedResource.KindOf(workload.ResourceId), workload.ResourceId.ToString());
        var restartNext = false;
        for (var attempt = 1; ; attempt++)
        {
            var attemptStartedAt = run.Context.CurrentUtcDateTime;
            run.Enter(ProvisioningPhase.Deploying);
            run.SetStatus(attempt);
            string? operation = null;
            string? refusal = null;
            if (restartNext)
            {
                // The failed group is restarted in place: ACI pulls its images again, which skips a delete and a create.
                operation = await run.StepAsync<string?>(nameof(RestartContainerGroup), workload.ResourceId, run.TransitioningPolicy);
            }

            if (operation is null)
            {
                var start = await run.StepAsync<DeploymentStart>(
                    nameof(BeginContainerGroupDeployment),
                    new DeploymentRequest(workload, run.Context.InstanceId),
                    failure => failure.IsCausedBy<AzureCapacityException>() ? run.CapacityPolicy : run.TransitioningPolicy);
                if (start.ReplaceBecause is { } changes)
                {
                    // Visible as its own phase: the group is down between the delete and the create.
                    run.Enter(ProvisioningPhase.Replacing);
                    run.SetStatus(attempt, message: $"Replacing the container group: Azure cannot update it in place ({changes}).");
                    await run.StepAsync<bool>(nameof(DeleteResource), created, run.TransientPolicy);
                    continue;
                }

                run.Record(!start.ExistedBefore, created);
                refusal = start.PullRefusal;
                operation = start.OperationJson;
            }

            ContainerGroupStatus? group = null;
            if (operation is not null)
            {
                var outcome = await run.FollowOperationAsync(operation, attempt, nameof(PollContainerGroupDeployment));
                group = await run.StepAsync<ContainerGroupStatus>(nameof(GetContainerGroupStatus), workload.ResourceId, run.TransientPolicy);
                group = await WaitWhileStartingAsync(group, attempt, deadline);
                if (group.IsReady)
                {
                    var outputs = new System.Text.Json.Nodes.JsonObject { ["ipAddress"] = group.IpAddress, ["fqdn"] = group.Fqdn };
                    var message = group.IsRunning ? "The container group is running." : "The container group ran to its end: every container exited with code 0.";
                    return new WorkloadReady(message, attempt, outputs);
                }

                refusal = group.PullFailure ?? (PullFailure.IsPullError(outcome.ErrorCode) ? $"{outcome.ErrorCode}: {outcome.ErrorMessage}" : null);
                if (refusal is null)
                {
                    throw new ProvisioningFailedException(
                        $"The container group '{workload.ResourceId.Name}' did not start: {outcome.ErrorCode ?? group.ProvisioningState ?? "unknown state"} {outcome.ErrorMessage}".TrimEnd());
                }
            }

            var now = run.Context.CurrentUtcDateTime;
            if (now >= deadline)
            {
                throw new ProvisioningFailedException(
                    $"The image pull was still refused {timings.ReadinessDeadline.TotalMinutes:0.#} minutes after the first attempt ({attempt} attempts): {refusal}");
            }

            // A group that exists after a refused pull (Failed, with pull events) is restarted once the wait is over; one
            // that was never created (a synchronous refusal) is created again.
            restartNext = group is { Exists: true };
            await run.WaitForGrantAsync(attempt, deadline, refusal, attemptStartedAt);
        }
    }

    // A provisioned group's containers can still be Waiting (pulling); look again until they run or a pull fails.
    private async Task<ContainerGroupStatus> WaitWhileStartingAsync(ContainerGroupStatus group, int attempt, DateTime deadline)
    {
        while (group.Exists && !group.IsReady && group.PullFailure is null && !group.HasFailedContainer
            && string.Equals(group.ProvisioningState, "Succeeded", StringComparison.OrdinalIgnoreCase)
            && run.Context.CurrentUtcDateTime < deadline)
        {
            run.SetStatus(attempt, run.Context.CurrentUtcDateTime + run.Timings.OperationPollInterval, $"The containers are starting ({group.State}).");
            await run.WaitAsync(run.Timings.OperationPollInterval);
            group = await run.StepAsync<ContainerGroupStatus>(nameof(GetContainerGroupStatus), workload.ResourceId, run.TransientPolicy);
        }

        return group;
    }
}
