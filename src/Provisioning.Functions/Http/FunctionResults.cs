using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Provisioning.Requests;
using Provisioning.Runs;

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
    /// request's host, and in Azure the task hub, connection and system key of the client the host bound), in web JSON
    /// as the worker's serializer writes them.
    /// </summary>
    public static IResult CheckStatus(DurableTaskClient client, HttpRequest request, FunctionContext context, string instanceId)
    {
        var payload = client.CreateHttpManagementPayload(instanceId, new ManagementRequestData(context, request));
        request.HttpContext.Response.Headers.Location = payload.StatusQueryGetUri;
        return Results.Json(payload, RunDataConverter.SerializerOptions, statusCode: StatusCodes.Status202Accepted);
    }
}
