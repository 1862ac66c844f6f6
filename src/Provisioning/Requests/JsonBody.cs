using System.Text.Json;
using System.Text.Json.Nodes;

namespace Provisioning.Requests;

/// <summary>
/// A request's JSON body, read with a size limit: every way it can be wrong (too large, missing, not JSON, another
/// media type) becomes a clear <see cref="RequestProblem"/> instead.
/// </summary>
/// <param name="Value">The body; null when there is none or when <paramref name="Problem"/> is set.</param>
/// <param name="Problem">Why the body cannot be used, or null.</param>
public sealed record JsonBody(JsonNode? Value, RequestProblem? Problem)
{
    /// <summary>The largest body accepted: generous for parameters and events, small enough that one request cannot exhaust memory.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Reads the body.</summary>
    /// <param name="body">The request body stream.</param>
    /// <param name="contentLength">The <c>Content-Length</c>, when sent.</param>
    /// <param name="contentType">The <c>Content-Type</c>, when sent; <c>application/json</c> and <c>*+json</c> are accepted.</param>
    /// <param name="required">Whether an empty body is a problem.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<JsonBody> ReadAsync(Stream body, long? contentLength, string? contentType, bool required, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (contentLength is > MaxBytes)
        {
            return new(null, RequestProblem.TooLarge($"The body is {contentLength} bytes; the limit is {MaxBytes} bytes."));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return new(null, RequestProblem.TooLarge($"The body is larger than the limit of {MaxBytes} bytes."));
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return new(null, required ? RequestProblem.BadRequest("The request needs a JSON body, and it has none.") : null);
        }

        var mediaType = MediaType(contentType);
        if (mediaType is not null && !mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            && !mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
        {
            return new(null, RequestProblem.UnsupportedMediaType($"The body is '{mediaType}'; only application/json is accepted."));
        }

        // JSON is UTF-8 (RFC 8259): invalid bytes would only fail later, where a string is read.
        var bytes = buffer.ToArray();
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return new(null, RequestProblem.BadRequest("The body is not valid UTF-8 JSON."));
        }

        try
        {
            // A duplicate property is refused here, not when an object is first looked into.
            return new(JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = 64, AllowDuplicateProperties = false }), null);
        }
        catch (JsonException exception)
        {
            return new(null, RequestProblem.BadRequest($"The body is not valid JSON: {exception.Message}"));
        }
    }

    /// <summary>The media type of a <c>Content-Type</c> value (without its parameters), or null.</summary>
    /// <param name="contentType">The header's value.</param>
    public static string? MediaType(string? contentType) => contentType?.Split(';')[0].Trim();
}
