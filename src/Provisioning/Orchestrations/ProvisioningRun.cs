using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Provisioning.Activities;
using Provisioning.Arm.Operations;
using Provisioning.Templates.Binding;
using Provisioning.Workloads;

namespace Provisioning.Orchestrations;

/// <summary>
/// The state of one <see cref="ProvisionWorkload"/> execution — what it created (its ledger), where it is, how long it
/// waited — and the steps every workload kind shares: lane turn, prerequisites, identity, grants, compensation. A kind's
/// deploy steps (<see cref="IWorkloadKind.DeployAsync"/>) run on it, through <see cref="StepAsync{T}(string, object, StepRetryPolicy)"/>,
/// <see cref="WaitAsync"/> and <see cref="Record"/>, so they share its status, its cancel and its ledger.
/// </summary>
internal sealed class ProvisioningRun
{
    private readonly TaskOrchestrationContext _context;
    private readonly ProvisioningInput _input;
    private readonly ProvisioningTimings _timings;
    private readonly ILogger _logger;
    private readonly List<CreatedResource> _created = [];
    private readonly List<string> _grantedBySystemIdentity = [];
    private readonly Dictionary<string, double> _phaseSeconds = [];
    private readonly Task<object?> _cancel;
    private ProvisioningPhase _phase = ProvisioningPhase.CheckingPrerequisites;
    private DateTime _phaseStartedAt;
    private double _waitedSeconds;

    public ProvisioningRun(TaskOrchestrationContext context, ProvisioningInput input)
    {
        _context = context;
        _input = input;
        _timings = input.Timings ?? new ProvisioningTimings();
        _logger = context.CreateReplaySafeLogger<ProvisionWorkload>();
        _phaseStartedAt = context.CurrentUtcDateTime;

        // Listened for from the start, so a cancel raised at any time is seen at the next step or wait.
        _cancel = context.WaitForExternalEvent<object?>(ProvisionWorkload.CancelEventName);
    }

    /// <summary>The orchestration's context.</summary>
    public TaskOrchestrationContext Context => _context;

    /// <summary>The run's waits and deadlines.</summary>
    public ProvisioningTimings Timings => _timings;

    /// <summary>A replay-safe logger.</summary>
    public ILogger Logger => _logger;

    /// <summary>Transient ARM failures: a few quick retries.</summary>
    public StepRetryPolicy TransientPolicy => new(_timings.TransientAttempts, _timings.TransientFirstInterval, 2.0)
    {
        Handle = failure => failure.IsCausedBy<AzureTransientException>(),
    };

    /// <summary>A new principal not yet replicated: retried until the principal deadline.</summary>
    public StepRetryPolicy PrincipalPolicy => new(int.MaxValue, _timings.PrincipalRetryFirstInterval, 2.0, TimeSpan.FromMinutes(1), _timings.PrincipalRetryTimeout)
    {
        Handle = failure => failure.IsCausedBy<AzureNotReadyException>() || failure.IsCausedBy<AzureTransientException>(),
    };

    /// <summary>
    /// A deploy PUT: a resource changing state (RetryLater) is retried until it settles; neither that nor a blip is a
    /// reason to compensate.
    /// </summary>
    public StepRetryPolicy TransitioningPolicy => new(int.MaxValue, _timings.TransientFirstInterval, 2.0, TimeSpan.FromMinutes(1), _timings.TransitioningRetryTimeout)
    {
        Handle = failure => failure.IsCausedBy<AzureNotReadyException>() || failure.IsCausedBy<AzureTransientException>(),
    };

    /// <summary>A region without capacity: minutes-scale backoff.</summary>
    public StepRetryPolicy CapacityPolicy => new(int.MaxValue, _timings.CapacityRetryFirstInterval, 2.0, _timings.CapacityRetryMaxInterval, _timings.CapacityRetryTimeout)
    {
        Handle = failure => failure.IsCausedBy<AzureCapacityException>(),
    };

    public async Task<ProvisioningResult> ExecuteAsync()
    {
        var template = _input.Template;
        var workload = template.Workload;
        try
        {
            if (_input.Lane is { } lane && await WaitForTurnAsync(lane) is { } newer)
            {
                Enter(ProvisioningPhase.Superseded);
                SetStatus(0, message: $"Superseded by the run of a newer event, {newer}: nothing was changed.");
                _logger.LogInformation("Run for {Workload} superseded by the newer run {NewerRun}", workload.ResourceId, newer);
                return new ProvisioningResult(workload.ResourceId.ToString(), workload.Kind, null, null, null, [], [], 0, _phaseSeconds, newer);
            }

            var kind = WorkloadKinds.Get(workload.Kind);
            Enter(ProvisioningPhase.CheckingPrerequisites);
            var checkRequest = new RegistryCheckRequest(template.Grants, kind.PulledRegistries(workload), kind.DisplayName, template.Identity is null)
            {
                TrustedOnlyWithSystemIdentity = kind.TrustedOnlyWithSystemIdentity,
                PullsWithArmAudienceTokens = kind.PullsWithArmAudienceTokens,
            };
            var check = await StepAsync<RegistryCheckResult>(nameof(CheckRegistryPrerequisites), checkRequest, TransientPolicy);
            if (check.Problems.Count > 0)
            {
                throw new ProvisioningFailedException($"The registry prerequisites are not met: {string.Join(" ", check.Problems)}");
            }

            var identity = new WorkloadIdentity(SystemAssigned: true, null, null, null, template.Grants);
            var assignments = new List<string>();
            if (template.Identity is { } userAssigned)
            {
                Enter(ProvisioningPhase.EnsuringIdentity);
                var ensured = await StepAsync<IdentityResult>(nameof(EnsureIdentity), new EnsureIdentityRequest(userAssigned, _context.InstanceId), TransientPolicy);
                Record(ensured.Created, new CreatedResource("Identity", ensured.Id));
                assignments.AddRange(await GrantAsync(ensured.PrincipalId, template.Grants));
                identity = new WorkloadIdentity(SystemAssigned: false, ensured.Id, ensured.PrincipalId, ensured.ClientId, template.Grants);
            }

            var ready = await kind.DeployAsync(this, workload, identity);
            assignments.AddRange(_grantedBySystemIdentity);
            Enter(ProvisioningPhase.Succeeded);
            SetStatus(ready.Attempts, message: ready.Message);
            _logger.LogInformation(
                "Provisioned {Workload} with identity {Identity} after {Attempts} deployment attempt(s), {WaitedSeconds}s waiting for Azure",
                workload.ResourceId, identity.Id ?? "(system-assigned)", ready.Attempts, _waitedSeconds);
            return new ProvisioningResult(
                workload.ResourceId.ToString(),
                workload.Kind,
                identity.Id,
                identity.PrincipalId ?? ready.PrincipalId,
                identity.ClientId,
                assignments,
                _created.Select(resource => resource.Id).ToList(),
                ready.Attempts,
                _phaseSeconds)
            {
                Outputs = ready.Outputs,
            };
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
            _logger.LogWarning("Provisioning {Workload} failed in {Phase}: {Reason}; {Compensation}", workload.ResourceId, failedIn, reason, report.Summary);
            throw new ProvisioningFailedException($"{reason} Then {report.Summary}.");
        }
    }

    /// <summary>
    /// Grants each role to a principal (waiting out principal replication), recording the assignments it created;
    /// returns every assignment's id. A kind calls it for a system-assigned identity once its resource exists.
    /// </summary>
    public async Task<IReadOnlyList<string>> GrantAsync(string principalId, IReadOnlyList<ResolvedGrant> grants, bool systemAssigned = false)
    {
        Enter(ProvisioningPhase.GrantingRoles);
        var assignments = new List<string>();
        foreach (var grant in grants)
        {
            var request = new RoleAssignmentRequest(grant.Scope, principalId, grant.RoleDefinitionId);
            var existed = await StepAsync<bool>(nameof(FindRoleAssignment), request, TransientPolicy);
            var assignment = await StepAsync<RoleAssignmentResult>(nameof(EnsureRoleAssignment), request, PrincipalPolicy);
            Record(!existed, new CreatedResource("RoleAssignment", assignment.Id));
            assignments.Add(assignment.Id);
        }

        if (systemAssigned)
        {
            _grantedBySystemIdentity.AddRange(assignments);
        }

        return assignments;
    }

    /// <summary>
    /// Waits, as the phase <see cref="ProvisioningPhase.WaitingForGrantPropagation"/>, before the next attempt of a
    /// deploy refused because a grant is not effective yet: backoff doubling from the first interval, never past the
    /// deadline. The backoff spaces the starts of attempts: the time the refused attempt itself took (restart, polls,
    /// status reads) counts toward it, so a grant that becomes effective is tried within about one interval, not one
    /// interval plus an attempt. At least half the backoff is always waited, so slow attempts still pause in between.
    /// </summary>
    /// <param name="attempt">The attempt just refused (1 for the first).</param>
    /// <param name="deadline">No wait goes past it.</param>
    /// <param name="refusal">Why the attempt was refused, for the status.</param>
    /// <param name="attemptStartedAt">When that attempt started (orchestration time); null counts the whole interval from now.</param>
    public async Task WaitForGrantAsync(int attempt, DateTime deadline, string? refusal, DateTime? attemptStartedAt = null)
    {
        var now = _context.CurrentUtcDateTime;
        var backoff = TimeSpan.FromTicks(Math.Min(_timings.ReadinessMaxInterval.Ticks, _timings.ReadinessFirstInterval.Ticks * (1L << Math.Min(attempt - 1, 20))));
        var spent = attemptStartedAt is { } started && started < now ? now - started : TimeSpan.Zero;
        var wait = backoff - spent < backoff / 2 ? backoff / 2 : backoff - spent;
        var delay = wait < deadline - now ? wait : deadline - now;
        Enter(ProvisioningPhase.WaitingForGrantPropagation);
        SetStatus(attempt, now + delay, refusal);
        await WaitAsync(delay);
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

            var waiting = $"Waiting for {turn.RunsAhead} earlier run(s) of this workload to finish; the oldest is {turn.OldestAhead}.";
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
    /// Follows a long-running ARM operation from its handle to its end, polling with <paramref name="pollActivity"/>
    /// (the generic <see cref="PollArmOperation"/>, or a kind's own) and waiting, durably, what ARM advises between polls.
    /// </summary>
    public async Task<OperationPoll> FollowOperationAsync(string operation, int attempt, string pollActivity = nameof(PollArmOperation))
    {
        var giveUpAt = _context.CurrentUtcDateTime + _timings.OperationTimeout;

        // The handle is plain data from the history, so reading it here replays the same way. A first answer that was
        // already final needs no poll; otherwise its Retry-After is honoured before the first poll, as ARM asks, and
        // without one the poll interval is waited first too (as the Azure SDK's pollers do): the first answer has just
        // said the operation is going, so polling at once would only ask again.
        var handle = ArmOperationHandle.FromJson(operation);
        if (handle.CompletedAtStart)
        {
            return new OperationPoll(ArmOperationState.Succeeded, null, null, null);
        }

        var first = handle.RetryAfterSeconds is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : _timings.OperationPollInterval;
        SetStatus(attempt, _context.CurrentUtcDateTime + first, "The deployment is in progress.");
        await WaitAsync(first);

        while (true)
        {
            var poll = await StepAsync<OperationPoll>(pollActivity, operation, TransientPolicy);
            if (poll.State != ArmOperationState.InProgress)
            {
                return poll;
            }

            if (_context.CurrentUtcDateTime >= giveUpAt)
            {
                throw new ProvisioningFailedException(
                    $"The deployment of '{handle.Resource.Name}' was still in progress after {_timings.OperationTimeout.TotalMinutes:0.#} minutes.");
            }

            // A zero or missing Retry-After would poll in a tight loop: fall back to the configured interval.
            var delay = poll.RetryAfter is { } advised && advised > TimeSpan.Zero ? advised : _timings.OperationPollInterval;
            SetStatus(attempt, _context.CurrentUtcDateTime + delay, "The deployment is in progress.");
            await WaitAsync(delay);
        }
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
    public Task<T> StepAsync<T>(string activity, object input, StepRetryPolicy policy) => StepAsync<T>(activity, input, _ => policy);

    /// <summary>Runs an activity, each failure retried under the policy <paramref name="policyFor"/> picks for it; cancel-aware.</summary>
    public async Task<T> StepAsync<T>(string activity, object input, Func<TaskFailureDetails, StepRetryPolicy> policyFor)
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

    /// <summary>A durable wait that a cancel ends at once (then the run compensates).</summary>
    public async Task WaitAsync(TimeSpan delay)
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

    /// <summary>Whether the ledger holds a resource of that kind (e.g. a <c>RoleAssignment</c> this run created).</summary>
    public bool HasCreated(string kind) => _created.Exists(resource => resource.Kind == kind);

    /// <summary>Adds a resource to the ledger compensation deletes, when this run created it (once, however often recorded).</summary>
    public void Record(bool created, CreatedResource resource)
    {
        if (created && !_created.Contains(resource))
        {
            _created.Add(resource);
        }
    }

    /// <summary>Enters a phase, adding the time spent in the previous one to its total.</summary>
    public void Enter(ProvisioningPhase phase)
    {
        var now = _context.CurrentUtcDateTime;
        var key = _phase.ToString();
        _phaseSeconds[key] = _phaseSeconds.GetValueOrDefault(key) + (now - _phaseStartedAt).TotalSeconds;
        _phase = phase;
        _phaseStartedAt = now;
    }

    /// <summary>Sets the run's custom status: phase, attempt, next retry, waited time, message, ledger, compensation.</summary>
    public void SetStatus(int attempt, DateTime? nextRetryAt = null, string? message = null, CompensationReport? compensation = null)
        => _context.SetCustomStatus(new ProvisioningStatus(_phase, attempt, nextRetryAt, _waitedSeconds, message, _created.ToList(), compensation));

    private sealed class RunCancelledException : Exception
    {
    }
}
