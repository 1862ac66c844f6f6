namespace Provisioning.Requests;

/// <summary>
/// An error answer to a request, whichever host received it: an RFC 9457 problem detail whose <see cref="Detail"/> names
/// the problem and, where there is one, the fix. Each host writes it as <c>application/problem+json</c>.
/// </summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Title">The short, fixed summary of the status.</param>
/// <param name="Detail">What is wrong with this request.</param>
public sealed record RequestProblem(int Status, string Title, string Detail)
{
    /// <summary>More members of the problem (such as <c>errors</c>), or null.</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    /// <summary>400: the request is unusable as it is.</summary>
    /// <param name="detail">What is wrong, and the fix.</param>
    public static RequestProblem BadRequest(string detail) => new(400, "Bad request", detail);

    /// <summary>404: what the request names does not exist.</summary>
    /// <param name="detail">What is missing, and what exists.</param>
    public static RequestProblem NotFound(string detail) => new(404, "Not found", detail);

    /// <summary>409: the request conflicts with what is going on.</summary>
    /// <param name="detail">What it conflicts with.</param>
    public static RequestProblem Conflict(string detail) => new(409, "Conflict", detail);

    /// <summary>413: the body is larger than accepted.</summary>
    /// <param name="detail">The size and the limit.</param>
    public static RequestProblem TooLarge(string detail) => new(413, "Payload too large", detail);

    /// <summary>415: the body is not of a media type accepted here.</summary>
    /// <param name="detail">The media type sent and those accepted.</param>
    public static RequestProblem UnsupportedMediaType(string detail) => new(415, "Unsupported media type", detail);

    /// <summary>503: not the request's fault; the caller should try again later.</summary>
    /// <param name="detail">What failed.</param>
    public static RequestProblem ServiceUnavailable(string detail) => new(503, "Service unavailable", detail);
}
