using Provisioning.Requests;

namespace Provisioning.EventGrid;

/// <summary>
/// What <see cref="EventGridRequestHandler"/> answers, for the host to write: a status code, a JSON body or a problem
/// detail (or neither), and headers to set.
/// </summary>
/// <param name="StatusCode">The HTTP status code.</param>
public sealed record EventGridResponse(int StatusCode)
{
    /// <summary>The JSON body (to serialize with web defaults: camelCase), or null.</summary>
    public object? Body { get; init; }

    /// <summary>The problem to answer with (<c>application/problem+json</c>), or null.</summary>
    public RequestProblem? Problem { get; init; }

    /// <summary>Response headers to set.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    internal static EventGridResponse Json(object body) => new(200) { Body = body };

    internal static EventGridResponse From(RequestProblem problem) => new(problem.Status) { Problem = problem };
}
