using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Provisioning.Requests;

namespace Provisioning.Functions.Http;

/// <summary>How the HTTP functions answer: problems as on the self-hosted host, starts as Durable Functions does.</summary>
internal static class FunctionResults
{
    /// <summary>The problem as <c>application/problem+json</c>.</summary>
    public static IResult Problem(RequestProblem problem)
        => Results.Problem(problem.Detail, statusCode: problem.Status, title: problem.Title, extensions: problem.Extensions);

    /// <summary>
    /// What <c>CreateCheckStatusResponseAsync</c> answers, for a function on the ASP.NET Core integration: 202 with a
    /// <c>Location</c> header and the management URLs the Durable extension makes (<c>CreateHttpManagementPayload</c>: the
    /// request's host, and in Azure the task hub, connection and system key of the client the host bound).
    /// </summary>
    public static async Task<IResult> CheckStatusAsync(DurableTaskClient client, FunctionContext context, string instanceId)
    {
        var request = await context.GetHttpRequestDataAsync()
            ?? throw new InvalidOperationException("The function was not invoked over HTTP: there is no request to point the management URLs at.");
        var payload = JsonSerializer.SerializeToNode(client.CreateHttpManagementPayload(instanceId, request))!.AsObject();
        var location = (string)payload["statusQueryGetUri"]!;
        return Results.Accepted(location, payload);
    }
}
