using System.Text.Json.Nodes;

namespace Provisioning.Arm.Pipeline;

/// <summary>A response ARM gave, reduced to what the operations read.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Body">The JSON body, or null when empty.</param>
/// <param name="AsyncOperation">The <c>Azure-AsyncOperation</c> header.</param>
/// <param name="Location">The <c>Location</c> header.</param>
/// <param name="RetryAfter">The <c>Retry-After</c> header as a delay.</param>
/// <param name="RequestId">The <c>x-ms-request-id</c> header.</param>
internal sealed record ArmResponse(int Status, JsonNode? Body, string? AsyncOperation, string? Location, TimeSpan? RetryAfter, string? RequestId);
