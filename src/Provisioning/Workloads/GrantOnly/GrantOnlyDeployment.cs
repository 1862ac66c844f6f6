using System.Globalization;
using System.Text.Json.Nodes;
using Provisioning.Orchestrations;

namespace Provisioning.Workloads.GrantOnly;

/// <summary>
/// A grant-only run's steps, inside the run: read the target's principal, grant it, then readiness. Nothing pulls with
/// the grant to prove it works, so readiness is (1) the assignment is listed for the principal, retried with durable
/// backoff until the readiness deadline, then (2) the configured propagation wait (<see cref="ProvisioningTimings.GrantPropagationWait"/>)
/// has passed, as a durable timer. The status and the result say plainly that this is an estimate. An assignment that
/// existed before the run needs no wait and is never removed; compensation removes only what this run's ledger holds.
/// </summary>
internal sealed class GrantOnlyDeployment(ProvisioningRun run, ResolvedWorkload workload, WorkloadIdentity identity)
{
    public async Task<WorkloadReady> GrantUntilListedAsync()
    {
        var timings = run.Timings;
        run.Enter(ProvisioningPhase.Deploying);
        if (identity.Grants.Count == 0)
        {
            throw new ProvisioningFailedException("A grant-only template must grant at least one role: add a 'grants' entry, e.g. { role: AcrPull, scope: \"[parameters('registryId')]\" }.");
        }

        run.SetStatus(1, message: $"Reading the principal of '{workload.ResourceId.Name}' (nothing is deployed: this run only grants).");
        var principal = await run.StepAsync<GrantPrincipal>(nameof(ResolveGrantPrincipal), workload, run.TransientPolicy);
        if (principal.Problem is not null || principal.PrincipalId is null)
        {
            throw new ProvisioningFailedException(principal.Problem ?? $"No principal was found for {principal.Description}.");
        }

        var assignments = await run.GrantAsync(principal.PrincipalId, identity.Grants, systemAssigned: true);
        var created = run.HasCreated("RoleAssignment");
        var roles = string.Join(", ", identity.Grants.Select(grant => $"{grant.RoleName ?? grant.RoleDefinitionId.ToString()} on '{grant.Scope.Name}'"));

        // (1) Listed for the principal: the read side of ARM may lag the write that created it.
        var deadline = run.Context.CurrentUtcDateTime + timings.ReadinessDeadline;
        var request = new PrincipalAssignmentsRequest(principal.PrincipalId, identity.Grants.Select(grant => grant.Scope).ToList());
        for (var attempt = 1; ; attempt++)
        {
            run.Enter(ProvisioningPhase.Deploying);
            run.SetStatus(attempt, message: $"Checking that {roles} is listed for {principal.Description}.");
            var listed = await run.StepAsync<IReadOnlyList<string>>(nameof(ListPrincipalAssignments), request, run.TransientPolicy);
            var missing = assignments.Where(id => !listed.Contains(id, StringComparer.OrdinalIgnoreCase)).ToList();
            if (missing.Count == 0)
            {
                break;
            }

            if (run.Context.CurrentUtcDateTime >= deadline)
            {
                throw new ProvisioningFailedException(
                    $"{missing.Count} role assignment(s) were still not listed for principal {principal.PrincipalId} {timings.ReadinessDeadline.TotalMinutes:0.#} minutes after the grant: {string.Join(", ", missing)}.");
            }

            await run.WaitForGrantAsync(attempt, deadline, $"The assignment is not listed for {principal.Description} yet.");
        }

        // (2) The propagation estimate: only for an assignment this run made; one that existed before has long propagated.
        var waited = TimeSpan.Zero;
        if (created)
        {
            waited = timings.GrantPropagationWait;
            run.Enter(ProvisioningPhase.WaitingForGrantPropagation);
            run.SetStatus(1, run.Context.CurrentUtcDateTime + waited,
                $"{roles} is listed for {principal.Description}; waiting {Minutes(waited)} for it to propagate. This is an estimate: nothing uses the grant to prove it.");
            await run.WaitAsync(waited);
        }

        var outputs = new JsonObject
        {
            ["principalId"] = principal.PrincipalId,
            ["principal"] = principal.Description,
            ["assignments"] = new JsonArray(assignments.Select(id => (JsonNode?)JsonValue.Create(id)).ToArray()),
            ["propagationWaitSeconds"] = waited.TotalSeconds,
            ["readiness"] = "estimate",
        };
        var message = created
            ? $"{roles} is granted to {principal.Description}: the assignment is listed for principal {principal.PrincipalId} and the {Minutes(waited)} propagation wait has passed. This is an estimate, not a proof: nothing has used the grant yet."
            : $"{roles} was already granted to {principal.Description} before this run (listed for principal {principal.PrincipalId}); nothing was changed. Whether it is effective is not proven: nothing has used the grant.";
        return new WorkloadReady(message, 1, outputs, principal.PrincipalId);
    }

    private static string Minutes(TimeSpan wait) => wait.TotalMinutes >= 1
        ? wait.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + "-minute"
        : wait.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "-second";
}
