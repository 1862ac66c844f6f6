using System.Text.Json;
using DurableTask.Core.Exceptions;
using Microsoft.Extensions.Options;
using Provisioning.Host.Configuration;
using Provisioning.Host.Http;
using Provisioning.Requests;
using Provisioning.Runs;
using Provisioning.Templates;
using Provisioning.Templates.Binding;

namespace Provisioning.Host.Http;

/// <summary>The function routes users call to provision: start a template, list the templates.</summary>
public static class ProvisioningApi
{
    /// <summary>Maps <c>POST /api/provisioning/{template}/{instanceId?}</c> and <c>GET /api/templates</c> (function key).</summary>
    public static IEndpointRouteBuilder MapProvisioningApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").AddEndpointFilter(new FunctionKeyFilter(KeyScope.Function));
        api.MapPost("/provisioning/{template}/{instanceId?}", StartAsync);
        api.MapGet("/templates", (ProvisioningStarter starter) => Results.Json(
            starter.Catalog.Templates.OrderBy(template => template.Name, StringComparer.OrdinalIgnoreCase).Select(template => new
            {
                name = template.Name,
                description = template.Description,
                parameters = template.Parameters.Values.Select(parameter => new { name = parameter.Name, type = parameter.Type.ToString(), required = parameter.IsRequired, description = parameter.Description }),
            }),
            JsonSerializerOptions.Web));
        return endpoints;
    }

    private static async Task<IResult> StartAsync(
        HttpContext context,
        string template,
        string? instanceId,
        ProvisioningStarter starter,
        IOptions<ProvisioningSettings> settings,
        ArmTarget armTarget,
        CancellationToken cancellationToken)
    {
        var (body, error) = await JsonRequestBody.ReadAsync(context.Request, required: true, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        if (!StartProvisioningRequest.TryRead(body, out var request, out var problem))
        {
            return Problems.BadRequest(problem!);
        }

        var target = new TemplateTarget(request!.SubscriptionId ?? armTarget.SubscriptionId, request.ResourceGroup, request.Location ?? settings.Value.DefaultLocation);
        try
        {
            var id = await starter.StartAsync(template, request.Parameters, target, string.IsNullOrEmpty(instanceId) ? null : instanceId, cancellationToken);
            return DurableHttpApi.CheckStatusResponse(context, id);
        }
        catch (UnknownTemplateException unknown)
        {
            return Problems.NotFound(unknown.Message);
        }
        catch (TemplateException invalid)
        {
            return Results.Problem(
                invalid.Message,
                statusCode: StatusCodes.Status400BadRequest,
                title: "The parameters do not fit the template",
                extensions: new Dictionary<string, object?>
                {
                    ["errors"] = invalid.Errors.Select(e => new { file = e.File, field = e.Path, problem = e.Problem, fix = e.Fix }).ToList(),
                });
        }
        catch (OrchestrationAlreadyExistsException running)
        {
            return Problems.Conflict(running.Message);
        }
    }
}
