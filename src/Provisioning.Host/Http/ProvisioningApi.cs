using System.Text.Json;
using Microsoft.Extensions.Options;
using Provisioning.Arm;
using Provisioning.Host.Configuration;
using Provisioning.Requests;
using Provisioning.Runs;

namespace Provisioning.Host.Http;

/// <summary>The function routes users call to provision: start a template, list the templates (shared with the Functions app through <see cref="ProvisioningRequests"/>).</summary>
public static class ProvisioningApi
{
    /// <summary>Maps <c>POST /api/provisioning/{template}/{instanceId?}</c> and <c>GET /api/templates</c> (function key).</summary>
    public static IEndpointRouteBuilder MapProvisioningApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").AddEndpointFilter(new FunctionKeyFilter(KeyScope.Function));
        api.MapPost("/provisioning/{template}/{instanceId?}", StartAsync).RequireRateLimiting(RateLimits.StartPolicy);
        api.MapGet("/templates", (ProvisioningStarter starter) => Results.Json(ProvisioningRequests.ListTemplates(starter.Catalog), JsonSerializerOptions.Web));
        return endpoints;
    }

    private static async Task<IResult> StartAsync(
        HttpContext context,
        string template,
        string? instanceId,
        ProvisioningStarter starter,
        ProvisioningArmClient arm,
        IOptions<ProvisioningSettings> settings,
        ArmTarget armTarget,
        CancellationToken cancellationToken)
    {
        // ?whatIf=true answers what the run would do, as ARM's what-if does, and starts nothing.
        if (bool.TryParse(context.Request.Query["whatIf"], out var whatIf) && whatIf && instanceId is null)
        {
            return await PlanApi.PlanAsync(context, template, starter, arm, settings, armTarget, cancellationToken);
        }

        var request = context.Request;
        var body = await JsonBody.ReadAsync(request.Body, request.ContentLength, request.ContentType, required: true, cancellationToken);
        var outcome = await ProvisioningRequests.StartAsync(starter, template, instanceId, body, armTarget.SubscriptionId, settings.Value.DefaultLocation, cancellationToken);
        return outcome.Problem is { } problem ? Problems.From(problem) : DurableHttpApi.CheckStatusResponse(context, outcome.InstanceId!);
    }
}
