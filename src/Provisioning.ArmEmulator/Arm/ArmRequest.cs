using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Provisioning.ArmEmulator.Arm;

/// <summary>An authenticated ARM request, parsed and ready for a resource type handler.</summary>
internal sealed record ArmRequest(
    string Method,
    ArmPath Path,
    string ApiVersion,
    IQueryCollection Query,
    JsonNode? Body,
    string CorrelationId)
{
    /// <summary>The body as an object, or an <c>InvalidRequestContent</c> error.</summary>
    public JsonObject RequireObjectBody()
    {
        return Body as JsonObject
            ?? throw new ArmException(System.Net.HttpStatusCode.BadRequest, "InvalidRequestContent", "The request content was invalid and could not be deserialized: 'The request body must be a JSON object.'.");
    }
}
