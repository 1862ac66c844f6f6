using System.Text.Json.Nodes;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Provisioning.Orchestrations;
using Provisioning.Rules;
using Provisioning.Secrets;
using Provisioning.Templates;
using Provisioning.Templates.Binding;
using Provisioning.Templates.Loading;
using Provisioning.Workloads;

namespace Provisioning.Runs;

/// <summary>
/// Starts provisioning runs from a template name, parameters and a target: the one way in for HTTP calls, Event Grid
/// rules and drift repair. Everything that can be checked without Azure is checked before anything starts, so bad
/// input is refused with a clear error and leaves no run behind.
/// </summary>
/// <param name="catalog">The templates.</param>
/// <param name="client">Starts the runs.</param>
/// <param name="timings">Waits and deadlines of the runs; null for the defaults.</param>
/// <param name="time">The clock that stamps runs started by requests, which orders them in their lane; null for the system clock.</param>
/// <param name="secrets">
/// Encrypts the workload's secrets (its kind's <see cref="IWorkloadKind.SecretPaths"/>) before a run is scheduled, so
/// they are never stored in plain text; the ARM client decrypts them just before sending. Both hosts pass one; null
/// only where no template carries secrets (tests).
/// </param>
public sealed class ProvisioningStarter(TemplateCatalog catalog, DurableTaskClient client, ProvisioningTimings? timings = null, TimeProvider? time = null, SecretProtector? secrets = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The templates runs are started from.</summary>
    public TemplateCatalog Catalog => catalog;

    /// <summary>The client runs are started with.</summary>
    public DurableTaskClient Client => client;

    /// <summary>
    /// Binds the template and starts a <see cref="ProvisionWorkload"/> run. Without <paramref name="instanceId"/>,
    /// the run gets an id in the workload's lane (<see cref="RunIds.ForRequest"/>) and takes turns with the event-started
    /// runs of the same workload, so a run started by hand never overlaps one started by an event. A run given its own
    /// id stays outside the lane: the id decides the lane, and the caller chose it.
    /// </summary>
    /// <param name="templateName">The template's name.</param>
    /// <param name="parameters">The parameter values.</param>
    /// <param name="target">Where to provision.</param>
    /// <param name="instanceId">The run's id, for idempotent starts; <c>null</c> for a new one.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The run's instance id.</returns>
    /// <exception cref="UnknownTemplateException">No template has that name.</exception>
    /// <exception cref="TemplateException">The parameters do not bind (each error names the field and the fix).</exception>
    /// <exception cref="OrchestrationAlreadyExistsException">A run with that id is still going.</exception>
    public async Task<string> StartAsync(
        string templateName,
        IReadOnlyDictionary<string, JsonNode?> parameters,
        TemplateTarget target,
        string? instanceId = null,
        CancellationToken cancellationToken = default)
        => await StartAsync(templateName, parameters, target, new StartOrchestrationOptions(instanceId) { DedupeStatuses = RunStatuses.RefuseWhileGoing }, cancellationToken);

    /// <summary>
    /// Starts a run of an already bound template with the id <paramref name="instanceId"/> unless an instance of that
    /// id exists in any state, running or finished: for runs whose id is derived from what caused them (an Event Grid
    /// event), so that a cause delivered again never runs twice. The check and the creation are one transaction.
    /// </summary>
    /// <param name="resolved">The bound template (see <see cref="Bind"/>).</param>
    /// <param name="instanceId">The run's id.</param>
    /// <param name="lane">The lane of runs of the same workload, which take turns; null for none.</param>
    /// <param name="startAt">When the run starts; null for at once.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns><c>true</c> when the run started; <c>false</c> when the id already existed.</returns>
    public async Task<bool> StartOnceAsync(
        ResolvedTemplate resolved, string instanceId, DeploymentLane? lane, DateTimeOffset? startAt = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(ProvisionWorkload),
                new ProvisioningInput(resolved, timings, lane),
                new StartOrchestrationOptions(instanceId, startAt) { DedupeStatuses = RunStatuses.RefuseAlways },
                cancellationToken);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return false;
        }
    }

    private async Task<string> StartAsync(
        string templateName, IReadOnlyDictionary<string, JsonNode?> parameters, TemplateTarget target, StartOrchestrationOptions options, CancellationToken cancellationToken)
    {
        var resolved = Bind(templateName, parameters, target);
        DeploymentLane? lane = null;
        if (options.InstanceId is null)
        {
            var workload = resolved.Workload.ResourceId;
            var now = _time.GetUtcNow();
            var prefix = RunIds.WorkloadPrefix(workload.SubscriptionId, workload.ResourceGroupName!, workload.Name);
            lane = new DeploymentLane(prefix, now);
            options = options with { InstanceId = RunIds.ForRequest(workload.SubscriptionId, workload.ResourceGroupName!, workload.Name, now, Guid.NewGuid()) };
        }

        return await client.ScheduleNewOrchestrationInstanceAsync(
            nameof(ProvisionWorkload),
            new ProvisioningInput(resolved, timings, lane),
            options,
            cancellationToken);
    }

    /// <summary>Binds without starting: what a run of these inputs would provision, its secrets encrypted.</summary>
    /// <exception cref="UnknownTemplateException">No template has that name.</exception>
    /// <exception cref="TemplateException">The parameters do not bind.</exception>
    public ResolvedTemplate Bind(string templateName, IReadOnlyDictionary<string, JsonNode?> parameters, TemplateTarget target)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(target);
        if (!catalog.TryGet(templateName, out var template))
        {
            throw new UnknownTemplateException(templateName, catalog.Names);
        }

        var resolved = template.Bind(parameters, target);
        if (secrets is null)
        {
            return resolved;
        }

        var kind = WorkloadKinds.Get(resolved.Workload.Kind);
        return resolved with { Workload = resolved.Workload with { Body = SecretFields.ProtectPaths(resolved.Workload.Body, kind.SecretPaths, secrets) } };
    }
}
