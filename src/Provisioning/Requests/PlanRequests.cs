using Provisioning.Arm;
using Provisioning.Plan;
using Provisioning.Runs;
using Provisioning.Templates;
using Provisioning.Templates.Binding;

namespace Provisioning.Requests;

/// <summary>
/// The what-if route both hosts serve, host-neutral: <c>POST /api/plan/{template}</c>, and
/// <c>POST /api/provisioning/{template}?whatIf=true</c>, with the start request's body. The template is bound as a start
/// would bind it, then planned from ARM reads only (<see cref="ProvisioningPlanner"/>): nothing is started or changed.
/// </summary>
public static class PlanRequests
{
    /// <summary>
    /// The plan of a start request's body. An unreadable body or bad fields are 400, an unknown template 404 naming the
    /// known ones, parameters the template refuses 400 with one entry per error in <c>errors</c> — as a start answers.
    /// </summary>
    /// <param name="starter">Binds the template (its catalog and rules).</param>
    /// <param name="arm">Reads what exists.</param>
    /// <param name="template">The template's name (the route's <c>{template}</c>).</param>
    /// <param name="body">The request's body, read with <see cref="JsonBody.ReadAsync"/> (required).</param>
    /// <param name="defaultSubscriptionId">The subscription when the body names none; null when the host has none.</param>
    /// <param name="defaultLocation">The region when the body names none.</param>
    /// <param name="cancellationToken">Cancels the ARM reads.</param>
    public static async Task<PlanOutcome> PlanAsync(
        ProvisioningStarter starter,
        ProvisioningArmClient arm,
        string template,
        JsonBody body,
        string? defaultSubscriptionId,
        string defaultLocation,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(starter);
        ArgumentNullException.ThrowIfNull(body);
        if (!StartTarget.TryRead(body, defaultSubscriptionId, defaultLocation, out var request, out var target, out var problem))
        {
            return new(null, problem);
        }

        ResolvedTemplate resolved;
        try
        {
            resolved = starter.Bind(template, request!.Parameters, target!);
        }
        catch (UnknownTemplateException unknown)
        {
            return new(null, RequestProblem.NotFound(unknown.Message));
        }
        catch (TemplateException invalid)
        {
            return new(null, StartTarget.InvalidParameters(invalid));
        }

        return new(await new ProvisioningPlanner(arm).PlanAsync(resolved, cancellationToken), null);
    }
}
