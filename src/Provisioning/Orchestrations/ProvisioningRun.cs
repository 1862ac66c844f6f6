using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Provisioning.Activities;
using Provisioning.Arm.ContainerInstance;

namespace Provisioning.Orchestrations;

/// <summary>The state of one <see cref="ProvisionContainerGroup"/> execution: what it created, where it is, how long it waited.</summary>
internal sealed class ProvisioningRun
{
    private readonly TaskOrchestrationContext _context;
    private readonly ProvisionContainerGroupInput _input;
    private readonly ProvisioningTimings _timings;
    private readonly ILogger _logger;
    private readonly List<CreatedResource> _created = [];
    private readonly Dictionary<string, double> _phaseSeconds = [];
    private readonly Task<object?> _cancel;
    private ProvisioningPhase _phase = ProvisioningPhase.CheckingPrerequisites;
    private DateTime _phaseStartedAt;
    private double _waitedSeconds;

    public ProvisioningRun(TaskOrchestrationContext context, ProvisionContainerGroupInput input)
    {
        _context = context;
        _input = input;
        _timings = input.Timings ?? new ProvisioningTimings();
        _logger = context.CreateReplaySafeLogger<ProvisionContainerGroup>();
        _phaseStartedAt = context.CurrentUtcDateTime;

        // Listened for from the start, so a cancel raised at any time is seen at the next step or wait.
        _cancel = context.WaitForExternalEvent<object?>(ProvisionContainerGroup.CancelEventName);
    }

    private StepRetryPolicy TransientPolicy => new(_timings.TransientAttempts, _timings.TransientFirstInterval, 2.0)
    {
        Handle = failure => failure.IsCausedBy<AzureTransientException>(),
    };

    private StepRetryPolicy PrincipalPolicy => new(int.MaxValue, _timings.PrincipalRetryFirstInterval, 2.0, TimeSpan.FromMinutes(1), _timings.PrincipalRetryTimeout)
    {
        Handle = failure => failure.IsCausedBy<AzureNotReadyException>() || failure.IsCausedBy<AzureTransientException>(),
    };

    // The deploy PUT: a group changing state (RetryLater) is retried until it settles, a region without capacity on
    // minutes' scale; neither is a reason to compensate.
    private StepRetryPolicy TransitioningPolicy => new(int.MaxValue, _timings.TransientFirstInterval, 2.0, TimeSpan.FromMinutes(1), _timings.TransitioningRetryTimeout)
    {
        Handle = failure => failure.IsCausedBy<AzureNotReadyException>() || failure.IsCausedBy<AzureTransientException>(),
    };

    private StepRetryPolicy CapacityPolicy => new(int.MaxValue, _timings.CapacityRetryFirstInterval, 2.0, _timings.CapacityRetryMaxInterval, _timings.CapacityRetryTimeout)
    {
        Handle = failure => failure.IsCausedBy<AzureCapacityException>(),
    };

    public async Task<ProvisioningResult> ExecuteAsync()
    {
        var template = _input.Template;
        try
        {
            if (_input.Lane is { } lane && await WaitForTurnAsync(lane) is { } newer)
            {
                Enter(ProvisioningPhase.Superseded);
                SetStatus(0, message: $"Superseded by the run of a newer event, {newer}: nothing was changed.");
                _logger.LogInformation("Run for {ContainerGroup} superseded by the newer run {NewerRun}", template.Workload.ResourceId, newer);
                return new ProvisioningResult(template.Workload.ResourceId.ToString(), null, null, null, [], null, null, [], 0, _phaseSeconds, newer);
            }

            Enter(ProvisioningPhase.CheckingPrerequisites);
            var check = await StepAsync<RegistryCheckResult>(nameof(CheckRegistryPrerequisites), template, TransientPolicy);
            if (check.Problems.Count > 0)
            {
                throw new ProvisioningFailedException($"The registry prerequisites are not met: {string.Join(" ", check.Problems)}");
            }

            Enter(ProvisioningPhase.EnsuringIdentity);
            var identity = await StepAsync<IdentityResult>(nameof(EnsureIdentity), new EnsureIdentityRequest(template.Identity, _context.InstanceId), TransientPolicy);
            Record(identity.Created, CreatedResourceKind.Identity, identity.Id);

            Enter(ProvisioningPhase.GrantingRoles);
            var assignments = new List<string>();
            foreach (var grant in template.Grants)
            {
                var request = new RoleAssignmentRequest(grant.Scope, identity.PrincipalId, grant.RoleDefinitionId);
                var existed = await StepAsync<bool>(nameof(FindRoleAssignment), request, TransientPolicy);
                var assignment = await StepAsync<RoleAssignmentResult>(nameof(EnsureRoleAssignment), request, PrincipalPolicy);
                Record(!existed, CreatedResourceKind.RoleAssignment, assignment.Id);
                assignments.Add(assignment.Id);
            }

            var (group, attempts) = await DeployUntilRunningAsync();
            Enter(ProvisioningPhase.Succeeded);
            SetStatus(attempts, message: group.IsRunning ? "The container group is running." : "The container group ran to its end: every container exited with code 0.");
            _logger.LogInformation(
                "Provisioned {ContainerGroup} with identity {Identity} after {Attempts} deployment attempt(s), {WaitedSeconds}s waiting for Azure",
                template.Workload.ResourceId, identity.Id, attempts, _waitedSeconds);
            return new ProvisioningResult(
                template.Workload.ResourceId.ToString(),
                identity.Id,
                identity.PrincipalId,
                identity.ClientId,
                assignments,
                group.IpAddress,
                group.Fqdn,
                _created.Select(resource => resource.Id).ToList(),
                attempts,
                _phaseSeconds);
        }
        catch (Exception error) when (error is TaskFailedException or ProvisioningFailedException or RunCancelledException)
        {
            var reason = error switch
            {
                RunCancelledException => $"The run was cancelled during {_phase}.",
                TaskFailedException failed => $"{_phase} failed: {failed.FailureDetails.ErrorMessage}",
                _ => error.Message,
            };
            var failedIn = _phase;
            Enter(ProvisioningPhase.Compensating);
            SetStatus(0, message: reason);
            var report = await CompensateAsync();
            Enter(ProvisioningPhase.Failed);
            SetStatus(0, message: reason, compensation: report);
            _logger.LogWarning("Provisioning {ContainerGroup} failed in {Phase}: {Reason}; {Compensation}", template.Workload.ResourceId, failedIn, reason, report.Summary);
            throw new ProvisioningFailedException($"{reason} Then {report.Summary}.");
        }
    }

    /// <summary>
    /// Waits until no run of an earlier event of the same workload is still going, so two deployments of one group
    /// never overlap (one's compensation would delete what the other deploys). Returns the newer run that supersedes
    /// this one as soon as one exists, else null when it is this run's turn.
    /// </summary>
    private async Task<string?> WaitForTurnAsync(DeploymentLane lane)
    {
        Enter(ProvisioningPhase.Queued);
        var giveUpAt = _context.CurrentUtcDateTime + _timings.LaneWaitTimeout;
        while (true)
        {
            var turn = await StepAsync<LaneTurn>(nameof(CheckLaneTurn), new LaneTurnRequest(lane.InstanceIdPrefix, _context.InstanceId, lane.EventTime), TransientPolicy);
            if (turn.NewerRunId is not null || turn.RunsAhead == 0)
            {
                return turn.NewerRunId;
            }

            var waiting = $"Waiting for {turn.RunsAhead} earlier run(s) of this container group to finish; the oldest is {turn.OldestAhead}.";
            if (_context.CurrentUtcDateTime >= giveUpAt)
            {
                throw new ProvisioningFailedException(
                    $"Gave up after {_timings.LaneWaitTimeout.TotalMinutes:0.#} minutes in the queue. {waiting} Resume or terminate it, then deliver the event again.");
            }

            SetStatus(0, _context.CurrentUtcDateTime + _timings.LaneCheckInterval, waiting);
            await WaitAsync(_timings.LaneCheckInterval);
        }
    }

    /// <summary>
    /// Deploys, and while the image pull is refused because the grant is not effective yet, deletes the failed group
    /// (when this run created it), waits with backoff and deploys again, until the group runs or the deadline passes.
    /// </summary>
    private async Task<(ContainerGroupStatus Group, int Attempts)> DeployUntilRunningAsync()
    {
        var workload = _input.Template.Workload;
        var deadline = _context.CurrentUtcDateTime + _timings.ReadinessDeadline;
        for (var attempt = 1; ; attempt++)
        {
            Enter(ProvisioningPhase.Deploying);
            SetStatus(attempt);
            var start = await StepAsync<DeploymentStart>(
                nameof(BeginContainerGroupDeployment),
                new DeploymentRequest(workload, _context.InstanceId),
                failure => failure.IsCausedBy<AzureCapacityException>() ? CapacityPolicy : TransitioningPolicy);
            if (start.ReplaceBecause is { } changes)
            {
                // Visible as its own phase: the group is down between the delete and the create.
                Enter(ProvisioningPhase.Replacing);
                SetStatus(attempt, message: $"Replacing the container group: Azure cannot update it in place ({changes}).");
                await StepAsync<bool>(nameof(DeleteResource), new CreatedResource(CreatedResourceKind.ContainerGroup, workload.ResourceId.ToString()), TransientPolicy);
                continue;
            }

            Record(!start.ExistedBefore, CreatedResourceKind.ContainerGroup, workload.ResourceId.ToString());
            var refusal = start.PullRefusal;
            ContainerGroupStatus? group = null;
            if (start.OperationJson is { } operation)
            {
                var outcome = await FollowOperationAsync(operation, attempt);
                group = await StepAsync<ContainerGroupStatus>(nameof(GetContainerGroupStatus), workload.ResourceId, TransientPolicy);
                group = await WaitWhileStartingAsync(group, attempt, deadline);
                if (group.IsReady)
                {
                    return (group, attempt);
                }

                refusal = group.PullFailure ?? (PullFailure.IsPullError(outcome.ErrorCode) ? $"{outcome.ErrorCode}: {outcome.ErrorMessage}" : null);
                if (refusal is null)
                {
                    throw new ProvisioningFailedException(
                        $"The container group '{workload.ResourceId.Name}' did not start: {outcome.ErrorCode ?? group.ProvisioningState ?? "unknown state"} {outcome.ErrorMessage}".TrimEnd());
                }
            }

            var now = _context.CurrentUtcDateTime;
            if (now >= deadline)
            {
                throw new ProvisioningFailedException(
                    $"The image pull was still refused {_timings.ReadinessDeadline.TotalMinutes:0.#} minutes after the first attempt ({attempt} attempts): {refusal}");
            }

            // A Failed group stays until deleted; one this run created is removed so the next attempt starts clean.
            if (group is { Exists: true } && !start.ExistedBefore)
            {
                await StepAsync<bool>(nameof(DeleteResource), new CreatedResource(CreatedResourceKind.ContainerGroup, workload.ResourceId.ToString()), TransientPolicy);
            }

            var backoff = TimeSpan.FromTicks(Math.Min(_timings.ReadinessMaxInterval.Ticks, _timings.ReadinessFirstInterval.Ticks * (1L << Math.Min(attempt - 1, 20))));
            var delay = backoff < deadline - now ? backoff : deadline - now;
            Enter(ProvisioningPhase.WaitingForGrantPropagation);
            SetStatus(attempt, now + delay, refusal);
            await WaitAsync(delay);
        }
    }

    private async Task<DeploymentPoll> FollowOperationAsync(string operation, int attempt)
    {
        var giveUpAt = _context.CurrentUtcDateTime + _timings.OperationTimeout;

        // The handle is plain data from the history, so reading it here replays the same way. A first answer that was
        // already final needs no poll; otherwise its Retry-After is honoured before the first poll, as ARM asks.
        var handle = ContainerGroupOperation.FromJson(operation);
        if (handle.CompletedAtStart)
        {
            return new DeploymentPoll(ArmOperationState.Succeeded, null, null, null);
        }

        if (handle.RetryAfterSeconds is > 0 and var seconds)
        {
            var first = TimeSpan.FromSeconds(seconds);
            SetStatus(attempt, _context.CurrentUtcDateTime + first, "The deployment is in progress.");
            await WaitAsync(first);
        }

        while (true)
        {
            var poll = await StepAsync<DeploymentPoll>(nameof(PollContainerGroupDeployment), operation, TransientPolicy);
            if (poll.State != ArmOperationState.InProgress)
            {
                return poll;
            }

            if (_context.CurrentUtcDateTime >= giveUpAt)
            {
                throw new ProvisioningFailedException(
                    $"The deployment of '{_input.Template.Workload.ResourceId.Name}' was still in progress after {_timings.OperationTimeout.TotalMinutes:0.#} minutes.");
            }

            // A zero or missing Retry-After would poll in a tight loop: fall back to the configured interval.
            var delay = poll.RetryAfter is { } advised && advised > TimeSpan.Zero ? advised : _timings.OperationPollInterval;
            SetStatus(attempt, _context.CurrentUtcDateTime + delay, "The deployment is in progress.");
            await WaitAsync(delay);
        }
    }

    // A provisioned group's containers can still be Waiting (pulling); look again until they run or a pull fails.
    private async Task<ContainerGroupStatus> WaitWhileStartingAsync(ContainerGroupStatus group, int attempt, DateTime deadline)
    {
        while (group.Exists && !group.IsReady && group.PullFailure is null && !group.HasFailedContainer
            && string.Equals(group.ProvisioningState, "Succeeded", StringComparison.OrdinalIgnoreCase)
            && _context.CurrentUtcDateTime < deadline)
        {
            SetStatus(attempt, _context.CurrentUtcDateTime + _timings.OperationPollInterval, $"The containers are starting ({group.State}).");
            await WaitAsync(_timings.OperationPollInterval);
            group = await StepAsync<ContainerGroupStatus>(nameof(GetContainerGroupStatus), _input.Template.Workload.ResourceId, TransientPolicy);
        }

        return group;
    }

    /// <summary>Deletes, newest first, what this run created; each delete retried; failures reported, never swallowed.</summary>
    private async Task<CompensationReport> CompensateAsync()
    {
        var deleted = new List<CreatedResource>();
        var failed = new List<CompensationFailure>();
        var policy = TaskOptions.FromRetryPolicy(new RetryPolicy(_timings.TransientAttempts, _timings.TransientFirstInterval, 2.0));
        for (var index = _created.Count - 1; index >= 0; index--)
        {
            var resource = _created[index];
            try
            {
                await _context.CallActivityAsync<bool>(nameof(DeleteResource), resource, policy);
                deleted.Add(resource);
            }
            catch (TaskFailedException failure)
            {
                failed.Add(new CompensationFailure(resource, failure.FailureDetails.ErrorMessage));
                _logger.LogError("Compensation could not delete {Resource}: {Error}", resource.Id, failure.FailureDetails.ErrorMessage);
            }
        }

        return new CompensationReport(deleted, failed);
    }

    /// <summary>Runs an activity, retried through the SDK's retry handler under <paramref name="policy"/>; cancel-aware.</summary>
    private Task<T> StepAsync<T>(string activity, object input, StepRetryPolicy policy) => StepAsync<T>(activity, input, _ => policy);

    /// <summary>Runs an activity, each failure retried under the policy <paramref name="policyFor"/> picks for it; cancel-aware.</summary>
    private async Task<T> StepAsync<T>(string activity, object input, Func<TaskFailureDetails, StepRetryPolicy> policyFor)
    {
        ThrowIfCancelled();
        var result = await _context.CallActivityAsync<T>(activity, input, Retrying(policyFor));
        ThrowIfCancelled();
        return result;
    }

    /// <summary>Retries that show each attempt and wait in the custom status, and end at once when the run is cancelled.</summary>
    private TaskOptions Retrying(Func<TaskFailureDetails, StepRetryPolicy> policyFor) => TaskOptions.FromRetryHandler(async retry =>
    {
        var delay = policyFor(retry.LastFailure).NextDelay(retry.LastAttemptNumber, retry.TotalRetryTime, retry.LastFailure);
        if (delay is null)
        {
            return false;
        }

        SetStatus(retry.LastAttemptNumber, _context.CurrentUtcDateTime + delay.Value, retry.LastFailure.ErrorMessage);
        await WaitAsync(delay.Value);
        return true;
    });

    private async Task WaitAsync(TimeSpan delay)
    {
        using var timerCancellation = new CancellationTokenSource();
        var timer = _context.CreateTimer(delay, timerCancellation.Token);
        var winner = await Task.WhenAny(timer, _cancel);
        if (winner == _cancel)
        {
            // Synchronous: the timer's cancellation must run on the orchestration's scheduler to replay the same way.
#pragma warning disable CA1849
            timerCancellation.Cancel();
#pragma warning restore CA1849
            throw new RunCancelledException();
        }

        _waitedSeconds += delay.TotalSeconds;
    }

    private void ThrowIfCancelled()
    {
        if (_cancel.IsCompleted)
        {
            throw new RunCancelledException();
        }
    }

    private void Record(bool created, CreatedResourceKind kind, string id)
    {
        var resource = new CreatedResource(kind, id);
        if (created && !_created.Contains(resource))
        {
            _created.Add(resource);
        }
    }

    private void Enter(ProvisioningPhase phase)
    {
        var now = _context.CurrentUtcDateTime;
        var key = _phase.ToString();
        _phaseSeconds[key] = _phaseSeconds.GetValueOrDefault(key) + (now - _phaseStartedAt).TotalSeconds;
        _phase = phase;
        _phaseStartedAt = now;
    }

    private void SetStatus(int attempt, DateTime? nextRetryAt = null, string? message = null, CompensationReport? compensation = null)
        => _context.SetCustomStatus(new ProvisioningStatus(_phase, attempt, nextRetryAt, _waitedSeconds, message, _created.ToList(), compensation));

    private sealed class RunCancelledException : Exception
    {
    }
}
