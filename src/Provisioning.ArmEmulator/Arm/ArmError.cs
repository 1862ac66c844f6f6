using System.Text.Json.Nodes;

namespace Provisioning.ArmEmulator.Arm;

/// <summary>An ARM error: <c>{"error":{"code","message","target"?,"details"?}}</c>.</summary>
/// <param name="Code">The machine-readable error code.</param>
/// <param name="Message">The human-readable message.</param>
/// <param name="Target">The target of the error (a property path), when known.</param>
/// <param name="Details">Nested errors.</param>
public sealed record ArmError(string Code, string Message, string? Target = null, IReadOnlyList<ArmError>? Details = null)
{
    /// <summary>The error object without the <c>error</c> wrapper.</summary>
    public JsonObject ToJsonObject()
    {
        var o = new JsonObject { ["code"] = Code, ["message"] = Message };
        if (Target is not null)
        {
            o["target"] = Target;
        }

        if (Details is { Count: > 0 })
        {
            o["details"] = new JsonArray(Details.Select(d => (JsonNode)d.ToJsonObject()).ToArray());
        }

        return o;
    }

    /// <summary>The ARM error body <c>{"error":{...}}</c>.</summary>
    public JsonObject ToBody() => new() { ["error"] = ToJsonObject() };
}
