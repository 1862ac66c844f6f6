using System.Text.Json.Nodes;
using Provisioning.Requests;

namespace Provisioning.Host.Http;

/// <summary>Reads a request's JSON body with <see cref="JsonBody"/>'s limit and checks, answering what is wrong as a 4xx.</summary>
internal static class JsonRequestBody
{
    /// <summary>The body, <c>null</c> when there is none, or the error response to send instead.</summary>
    public static async Task<(JsonNode? Body, IResult? Error)> ReadAsync(HttpRequest request, bool required, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(request.Body, request.ContentLength, request.ContentType, required, cancellationToken);
        return (body.Value, body.Problem is { } problem ? Problems.From(problem) : null);
    }
}
