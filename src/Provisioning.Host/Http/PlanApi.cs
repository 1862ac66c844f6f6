using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Provisioning.Arm;
using Provisioning.Host.Configuration;
using Provisioning.Plan;
using Provisioning.Requests;
using Provisioning.Runs;
using Provisioning.Templates;
using Provisioning.Templates.Binding;

namespace Provisioning.Host.Http;

/// <summary>The what-if route: what a run of a template would create, change or leave, from ARM reads only.</summary>
public static class PlanApi
{
    /// <summary>Maps <c>POST /api/plan/{template}</c> (function key), whose body is the start request's.</summary>
    public static IEndpointRouteBuilder MapPlanApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api").AddEndpointFilter(new FunctionKeyFilter(KeyScope.Function)).MapPost("/plan/{template}", PlanAsync);
        return endpoints;
    }

    /// <summary>Answers the plan of a start request; also <c>POST /api/provisioning/{template}?whatIf=true</c>.</summary>
    internal static async Task<IResult> PlanAsync(
        HttpContext context,
        string template,
        ProvisioningStarter starter,
        ProvisioningArmClient arm,
        IOptions<ProvisioningSettings> settings,
        ArmTarget armTarget,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(context.Request.Body, context.Request.ContentLength, context.Request.ContentType, required: true, cancellationToken);
        if (body.Problem is { } unreadable)
        {
            return Problems.From(unreadable);
        }

        if (!StartProvisioningRequest.TryRead(body.Value, out var request, out var problem))
        {
            return Problems.BadRequest(problem!);
        }

        var target = new TemplateTarget(request!.SubscriptionId ?? armTarget.SubscriptionId, request.ResourceGroup, request.Location ?? settings.Value.DefaultLocation);
        ResolvedTemplate resolved;
        try
        {
            resolved = starter.Bind(template, request.Parameters, target);
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
                extensions: new Dictionary<string, object?> { ["errors"] = invalid.Errors.Select(e => new { file = e.File, field = e.Path, problem = e.Problem, fix = e.Fix }).ToList() });
        }

        var plan = await new ProvisioningPlanner(arm).PlanAsync(resolved, cancellationToken);
        return Results.Json(plan, JsonSerializerOptions.Web);
    }
}
