using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Provisioning.Arm;
using Provisioning.Functions.Configuration;
using Provisioning.Requests;

namespace Provisioning.Functions.Http;

/// <summary>
/// The what-if route, with a function key, answering as the self-hosted host's does (the request handling is the
/// domain's <see cref="PlanRequests"/>): what a run of a template would create, change or leave, from ARM reads only.
/// </summary>
/// <param name="starters">Binds the template as a start would.</param>
/// <param name="arm">Reads what exists.</param>
/// <param name="settings">The default subscription and region.</param>
public sealed class PlanHttpFunctions(RunStarters starters, ProvisioningArmClient arm, FunctionsAppSettings settings)
{
    /// <summary>The plan function's name.</summary>
    public const string PlanFunctionName = "PlanProvisioning";

    /// <summary>
    /// <c>POST /api/plan/{template}</c> with the start request's body: 200 with the plan; 400 for a bad body or parameters
    /// (naming each), 404 for an unknown template. Nothing is started and ARM only receives GETs.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="client">The Durable client (the starter is made around it; nothing is scheduled).</param>
    /// <param name="template">The template's name.</param>
    /// <param name="cancellationToken">Cancels the ARM reads.</param>
    [Function(PlanFunctionName)]
    public Task<IResult> PlanProvisioning(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "plan/{template}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string template,
        CancellationToken cancellationToken)
        => AnswerAsync(starters, arm, settings, request, client, template, cancellationToken);

    /// <summary>The plan's answer; also <c>POST /api/provisioning/{template}?whatIf=true</c>.</summary>
    internal static async Task<IResult> AnswerAsync(
        RunStarters starters,
        ProvisioningArmClient arm,
        FunctionsAppSettings settings,
        HttpRequest request,
        DurableTaskClient client,
        string template,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await JsonBody.ReadAsync(request.Body, request.ContentLength, request.ContentType, required: true, cancellationToken);
        var outcome = await PlanRequests.PlanAsync(starters.For(client), arm, template, body, settings.SubscriptionId, settings.DefaultLocation, cancellationToken);
        return outcome.Problem is { } problem ? FunctionResults.Problem(problem) : Results.Json(outcome.Plan, JsonSerializerOptions.Web);
    }
}
