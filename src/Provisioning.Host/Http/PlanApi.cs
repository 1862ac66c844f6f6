using System.Text.Json;
using Microsoft.Extensions.Options;
using Provisioning.Arm;
using Provisioning.Host.Configuration;
using Provisioning.Requests;
using Provisioning.Runs;

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

    /// <summary>Answers the plan of a start request (shared with the Functions app through <see cref="PlanRequests"/>); also <c>POST /api/provisioning/{template}?whatIf=true</c>.</summary>
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
        var outcome = await PlanRequests.PlanAsync(starter, arm, template, body, armTarget.SubscriptionId, settings.Value.DefaultLocation, cancellationToken);
        return outcome.Problem is { } problem ? Problems.From(problem) : Results.Json(outcome.Plan, JsonSerializerOptions.Web);
    }
}
