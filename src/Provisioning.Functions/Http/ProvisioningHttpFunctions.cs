using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Provisioning.Arm;
using Provisioning.Functions.Configuration;
using Provisioning.Requests;

namespace Provisioning.Functions.Http;

/// <summary>
/// The routes users call to provision, with a function key, answering as the self-hosted host's do (the request
/// handling is the domain's <see cref="ProvisioningRequests"/>): start a template (or, with <c>?whatIf=true</c>, answer its
/// plan), list the templates.
/// </summary>
/// <param name="starters">Makes the invocation's run starter.</param>
/// <param name="settings">The default subscription and region.</param>
/// <param name="arm">Reads what exists, for a what-if.</param>
public sealed class ProvisioningHttpFunctions(RunStarters starters, FunctionsAppSettings settings, ProvisioningArmClient arm)
{
    /// <summary>The start function's name.</summary>
    public const string StartFunctionName = "StartProvisioning";

    /// <summary>The template list function's name.</summary>
    public const string ListFunctionName = "ListTemplates";

    /// <summary>
    /// <c>POST /api/provisioning/{template}/{instanceId?}</c> with <c>{"resourceGroup", "location"?, "subscriptionId"?, "parameters"?}</c>:
    /// starts a run and answers 202 with the run's management URLs; 400 for a bad body or parameters (naming each), 404 for
    /// an unknown template (naming the known ones), 409 when a run with that id is still going. With <c>?whatIf=true</c>
    /// (and no instance id) it answers the plan, as <c>POST /api/plan/{template}</c> does, and starts nothing.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="client">The Durable client.</param>
    /// <param name="context">The invocation.</param>
    /// <param name="template">The template's name.</param>
    /// <param name="instanceId">The run's id; none for a new one.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    [Function(StartFunctionName)]
    public async Task<IResult> StartProvisioning(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "provisioning/{template}/{instanceId?}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        FunctionContext context,
        string template,
        string? instanceId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // ?whatIf=true answers what the run would do, as ARM's what-if does, and starts nothing (as on the self-hosted host).
        if (bool.TryParse(request.Query["whatIf"], out var whatIf) && whatIf && string.IsNullOrEmpty(instanceId))
        {
            return await PlanHttpFunctions.AnswerAsync(starters, arm, settings, request, client, template, cancellationToken);
        }

        var body = await JsonBody.ReadAsync(request.Body, request.ContentLength, request.ContentType, required: true, cancellationToken);
        var outcome = await ProvisioningRequests.StartAsync(
            starters.For(client), template, instanceId, body, settings.SubscriptionId, settings.DefaultLocation, cancellationToken);
        return outcome.Problem is { } problem ? FunctionResults.Problem(problem) : FunctionResults.CheckStatus(client, request, context, outcome.InstanceId!);
    }

    /// <summary><c>GET /api/templates</c>: the templates, with their parameters.</summary>
    /// <param name="request">The request.</param>
    [Function(ListFunctionName)]
    public IResult ListTemplates([HttpTrigger(AuthorizationLevel.Function, "get", Route = "templates")] HttpRequest request)
        => Results.Json(ProvisioningRequests.ListTemplates(starters.Catalog), JsonSerializerOptions.Web);
}
