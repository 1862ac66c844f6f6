using DurableTask.Core.Exceptions;
using Provisioning.Runs;
using Provisioning.Templates;
using Provisioning.Templates.Binding;
using Provisioning.Templates.Loading;

namespace Provisioning.Requests;

/// <summary>
/// The provisioning routes both hosts serve, host-neutral: <c>POST /api/provisioning/{template}/{instanceId?}</c> starts a
/// run, <c>GET /api/templates</c> lists the templates. Each host reads the request, calls these and writes the answer,
/// so both refuse bad input the same way.
/// </summary>
public static class ProvisioningRequests
{
    /// <summary>
    /// Starts a run of <paramref name="template"/> from a start request's body (see <see cref="StartProvisioningRequest"/>).
    /// An unreadable body or bad fields are 400, an unknown template 404 naming the known ones, parameters the template
    /// refuses 400 with one entry per error in <c>errors</c>, and an id whose run is still going 409.
    /// </summary>
    /// <param name="starter">Starts the run.</param>
    /// <param name="template">The template's name (the route's <c>{template}</c>).</param>
    /// <param name="instanceId">The run's id (the route's <c>{instanceId?}</c>); null or empty for a new one.</param>
    /// <param name="body">The request's body, read with <see cref="JsonBody.ReadAsync"/> (required).</param>
    /// <param name="defaultSubscriptionId">The subscription when the body names none; null when the host has none.</param>
    /// <param name="defaultLocation">The region when the body names none.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<StartRunOutcome> StartAsync(
        ProvisioningStarter starter,
        string template,
        string? instanceId,
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

        try
        {
            return new(await starter.StartAsync(template, request!.Parameters, target!, string.IsNullOrEmpty(instanceId) ? null : instanceId, cancellationToken), null);
        }
        catch (UnknownTemplateException unknown)
        {
            return new(null, RequestProblem.NotFound(unknown.Message));
        }
        catch (TemplateException invalid)
        {
            return new(null, StartTarget.InvalidParameters(invalid));
        }
        catch (OrchestrationAlreadyExistsException running)
        {
            return new(null, RequestProblem.Conflict(running.Message));
        }
    }

    /// <summary>The templates, sorted by name, with their parameters.</summary>
    /// <param name="catalog">The loaded templates.</param>
    public static IReadOnlyList<TemplateSummary> ListTemplates(TemplateCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return
        [
            .. catalog.Templates.OrderBy(template => template.Name, StringComparer.OrdinalIgnoreCase).Select(template => new TemplateSummary(
                template.Name,
                template.Description,
                [.. template.Parameters.Values.Select(parameter => new TemplateParameterSummary(parameter.Name, parameter.Type.ToString(), parameter.IsRequired, parameter.Description))])),
        ];
    }
}
