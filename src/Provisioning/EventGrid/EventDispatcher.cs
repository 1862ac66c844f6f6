using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioning.Arm;
using Provisioning.Arm.Resources;
using Provisioning.Orchestrations;
using Provisioning.Rules.Matching;
using Provisioning.Runs;
using Provisioning.Templates;
using Provisioning.Templates.Binding;

namespace Provisioning.EventGrid;

/// <summary>
/// Carries out what the rules decide for a delivery, in two phases: first everything that can be decided without a
/// side effect (matching, reading resource groups), then the starts and the forgetting. A rule match that cannot make
/// a run (unknown template, parameters the template refuses) is skipped and reported, not retried. A run
/// id (the event and the container group the bound template deploys) is started at most once: an existing instance
/// (running or finished) means the event was delivered before, and the store checks that in the transaction that
/// creates the run, so concurrent deliveries cannot both start it. Runs of one container group take turns in their
/// lane (see <see cref="DeploymentLane"/>), newest event wins. It
/// returns only once every start is durably scheduled; anything that fails throws, so the webhook answers 5xx and
/// Event Grid delivers again (and the repeats are recognised).
/// </summary>
internal sealed class EventDispatcher(
    EventRules rules,
    IServiceProvider services,
    IOptions<EventGridTriggerOptions> options,
    TimeProvider time,
    ILogger<EventDispatcher> logger)
{
    /// <summary>Carries out the rules' decisions for <paramref name="batch"/>, starting runs through <paramref name="starter"/> (and its client).</summary>
    public async Task<DispatchOutcome> DispatchAsync(EventBatch batch, ProvisioningStarter starter, CancellationToken cancellationToken)
    {
        var matcher = await rules.GetMatcherAsync();
        var starts = new List<(StartRun Run, string EventId)>();
        var duplicates = new List<string>();
        var forgets = new List<ForgetResourceGroup>();
        var skipped = new List<string>();
        var unmatched = new List<string>();
        foreach (var (ruleEvent, type) in batch.Events)
        {
            var decisions = matcher.Match(ruleEvent);
            if (decisions.Count == 0)
            {
                EventGridLog.Unmatched(logger, ruleEvent.Id, type);
                unmatched.Add(ruleEvent.Id);
            }

            foreach (var decision in decisions)
            {
                switch (decision)
                {
                    case StartRun { Target.Location: null } run:
                        // The rule names no region: the target group's is what [resourceGroup().location] means.
                        if (await ReadGroupAsync(run.Rule, run.Target.SubscriptionId, run.Target.ResourceGroupName, ruleEvent.Id, skipped, cancellationToken) is { } target)
                        {
                            starts.Add((run with { Target = run.Target with { Location = target.Location } }, ruleEvent.Id));
                        }

                        break;
                    case StartRun run:
                        starts.Add((run, ruleEvent.Id));
                        break;
                    case ReadTaggedGroup read when ruleEvent is ResourceGroupWrittenEvent written:
                        if (await ReadGroupAsync(read.Rule, read.SubscriptionId, read.ResourceGroup, ruleEvent.Id, skipped, cancellationToken) is { } group
                            && matcher.ResolveTaggedGroup(read, written, group.Location, group.Tags) is { } tagged)
                        {
                            starts.Add((tagged, ruleEvent.Id));
                        }

                        break;
                    case ForgetResourceGroup forget:
                        forgets.Add(forget);
                        break;
                }
            }
        }

        foreach (var (id, type) in batch.Ignored)
        {
            EventGridLog.Unmatched(logger, id, type);
            unmatched.Add(id);
        }

        var started = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (run, eventId) in starts)
        {
            var (instanceId, outcome) = await StartOnceAsync(starter, run, seen, cancellationToken);
            switch (outcome)
            {
                case StartOutcome.Started:
                    EventGridLog.RunStarted(logger, run.Rule, instanceId, run.Template, eventId);
                    started.Add(instanceId);
                    break;
                case StartOutcome.Existed:
                    EventGridLog.Duplicate(logger, eventId, instanceId);
                    duplicates.Add(instanceId);
                    break;
                case StartOutcome.Refused:
                    EventGridLog.Skipped(logger, run.Rule, eventId, instanceId);
                    skipped.Add($"{run.Rule}: event {eventId}: {instanceId}");
                    break;
            }
        }

        var forgotten = new List<string>();
        foreach (var forget in forgets.DistinctBy(f => f.InstanceIdPrefix))
        {
            var ids = await ForgetAsync(starter.Client, forget, cancellationToken);
            EventGridLog.Forgot(logger, forget.ResourceGroup, ids.Count);
            forgotten.AddRange(ids);
        }

        return new DispatchOutcome(batch.Events.Count + batch.Ignored.Count + batch.Refused.Count, started, duplicates, forgotten, skipped, unmatched)
        {
            Refused = batch.Refused,
        };
    }

    private async Task<ResourceGroup?> ReadGroupAsync(string rule, string subscriptionId, string resourceGroup, string eventId, List<string> skipped, CancellationToken cancellationToken)
    {
        var arm = services.GetRequiredService<ProvisioningArmClient>();
        var group = await arm.ResourceGroups.GetAsync(ArmResourceId.ForResourceGroup(subscriptionId, resourceGroup), cancellationToken);
        if (group is null || string.Equals(group.ProvisioningState, "Deleting", StringComparison.OrdinalIgnoreCase))
        {
            var reason = $"the resource group '{resourceGroup}' does not exist (or is being deleted) in subscription {subscriptionId}";
            EventGridLog.Skipped(logger, rule, eventId, reason);
            skipped.Add($"{rule}: event {eventId}: {reason}");
            return null;
        }

        return group;
    }

    /// <summary>
    /// Binds the run's template, names the run after the event and the container group it deploys, and starts it
    /// unless it exists. Returns the run id with Started, Existed or RepeatedInDelivery, or why it cannot start with
    /// Refused.
    /// </summary>
    private async Task<(string InstanceIdOrReason, StartOutcome Outcome)> StartOnceAsync(ProvisioningStarter starter, StartRun run, HashSet<string> seen, CancellationToken cancellationToken)
    {
        ResolvedTemplate resolved;
        try
        {
            resolved = starter.Bind(run.Template, run.Parameters, run.Target);
        }
        catch (Exception exception) when (exception is UnknownTemplateException or TemplateException)
        {
            // The rule and the event do not make a run (a tag naming no template, a value the template refuses):
            // delivering again would not change that, so it is acknowledged, logged and reported.
            return (exception.Message, StartOutcome.Refused);
        }

        // Any existing instance, running or finished, means this event was handled: the id comes from the event.
        var workload = resolved.Workload.ResourceId.Name;
        var instanceId = run.InstanceIdFor(workload);
        if (!seen.Add(instanceId))
        {
            return (instanceId, StartOutcome.RepeatedInDelivery);
        }

        var lane = new DeploymentLane(run.LaneFor(workload), run.Cause.Time);
        var startAt = options.Value.SettleDelay > TimeSpan.Zero ? time.GetUtcNow() + options.Value.SettleDelay : (DateTimeOffset?)null;
        return (instanceId, await starter.StartOnceAsync(resolved, instanceId, lane, startAt, cancellationToken) ? StartOutcome.Started : StartOutcome.Existed);
    }

    private enum StartOutcome
    {
        Started,
        Existed,
        Refused,

        // The same run twice in one delivery: reported once, as its first copy was.
        RepeatedInDelivery,
    }

    private async Task<IReadOnlyList<string>> ForgetAsync(DurableTaskClient client, ForgetResourceGroup forget, CancellationToken cancellationToken)
    {
        var instances = new List<OrchestrationMetadata>();
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = forget.InstanceIdPrefix }).WithCancellation(cancellationToken))
        {
            instances.Add(instance);
        }

        var reason = $"The resource group '{forget.ResourceGroup}' was deleted (rule {forget.Rule}).";
        foreach (var instance in instances.Where(i => !i.IsCompleted))
        {
            try
            {
                await client.TerminateInstanceAsync(instance.InstanceId, reason, cancellationToken);
            }
            catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
            {
                // Finished or gone meanwhile: nothing to end.
            }
        }

        using var deadline = new CancellationTokenSource(options.Value.ForgetTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var forgotten = new List<string>();
        foreach (var instance in instances)
        {
            try
            {
                if (!instance.IsCompleted)
                {
                    await client.WaitForInstanceCompletionAsync(instance.InstanceId, getInputsAndOutputs: false, linked.Token);
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The runs of the deleted resource group '{forget.ResourceGroup}' did not stop within {options.Value.ForgetTimeout}; the delivery will be retried.");
            }
            catch (ArgumentException)
            {
                // Forgotten meanwhile by another delivery of the same deletion.
                continue;
            }

            await client.PurgeInstanceAsync(instance.InstanceId, cancellation: cancellationToken);
            forgotten.Add(instance.InstanceId);
        }

        return forgotten;
    }
}
