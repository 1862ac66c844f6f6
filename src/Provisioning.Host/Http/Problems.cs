using Provisioning.Requests;

namespace Provisioning.Host.Http;

/// <summary>Error responses: RFC 9457 problem details whose <c>detail</c> names the problem and, where there is one, the fix.</summary>
internal static class Problems
{
    public static IResult BadRequest(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    public static IResult NotFound(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static IResult Conflict(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    public static IResult Gone(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status410Gone, title: "Gone");

    public static IResult Unauthorized(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");

    public static IResult UnsupportedMediaType(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");

    public static IResult TooLarge(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large");

    /// <summary>The host-neutral problem (from the shared request handling) as a response.</summary>
    public static IResult From(RequestProblem problem) => Results.Problem(problem.Detail, statusCode: problem.Status, title: problem.Title, extensions: problem.Extensions);
}
