using System.Net;
using System.Text.Json.Nodes;

namespace Provisioning.ArmEmulator.Arm;

/// <summary>What a handler answers: status, optional JSON body, extra headers.</summary>
internal sealed record ArmResponse(HttpStatusCode Status, JsonNode? Body = null)
{
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The body as UTF-8 JSON, produced under the store lock by the endpoint.</summary>
    public byte[]? Utf8Body { get; set; }

    public static ArmResponse Ok(JsonNode? body) => new(HttpStatusCode.OK, body);

    public static ArmResponse Created(JsonNode? body) => new(HttpStatusCode.Created, body);

    public static ArmResponse NoContent() => new(HttpStatusCode.NoContent);

    public static ArmResponse Error(ArmException exception)
    {
        var response = new ArmResponse(exception.Status, exception.Error.ToBody());
        foreach (var (k, v) in exception.Headers)
        {
            response.Headers[k] = v;
        }

        return response;
    }

    public ArmResponse WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }
}
