using System.Text.Json;
using System.Text.Json.Nodes;

namespace Provisioning.Host.Http;

/// <summary>Reads a request's JSON body with a size limit, turning every way it can be wrong into a clear 4xx.</summary>
internal static class JsonRequestBody
{
    /// <summary>The largest body accepted: generous for parameters and events, small enough that one request cannot exhaust memory.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The body, <c>null</c> when there is none, or the error response to send instead.</summary>
    public static async Task<(JsonNode? Body, IResult? Error)> ReadAsync(HttpRequest request, bool required, CancellationToken cancellationToken)
    {
        if (request.ContentLength is > MaxBytes)
        {
            return (null, Problems.TooLarge($"The body is {request.ContentLength} bytes; the limit is {MaxBytes} bytes."));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return (null, Problems.TooLarge($"The body is larger than the limit of {MaxBytes} bytes."));
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return required ? (null, Problems.BadRequest("The request needs a JSON body, and it has none.")) : (null, null);
        }

        var mediaType = request.ContentType is { } contentType ? contentType.Split(';')[0].Trim() : null;
        if (mediaType is not null && !mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            && !mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.UnsupportedMediaType($"The body is '{mediaType}'; only application/json is accepted."));
        }

        try
        {
            var node = JsonNode.Parse(buffer.ToArray(), documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
            return (node, null);
        }
        catch (JsonException exception)
        {
            return (null, Problems.BadRequest($"The body is not valid JSON: {exception.Message}"));
        }
    }
}
