using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Provisioning.Functions.Http;

/// <summary>
/// An ASP.NET Core request as the Durable extension's <c>CreateHttpManagementPayload</c> reads it: it takes the
/// management URLs' host from the request's URL. A read-only view; it makes no responses (the function answers with
/// an <c>IResult</c>).
/// </summary>
internal sealed class ManagementRequestData(FunctionContext context, HttpRequest request) : HttpRequestData(context)
{
    /// <inheritdoc />
    public override Stream Body => request.Body;

    /// <inheritdoc />
    public override HttpHeadersCollection Headers { get; } =
        new(request.Headers.Select(header => new KeyValuePair<string, IEnumerable<string>>(header.Key, header.Value.Select(value => value ?? string.Empty))));

    /// <inheritdoc />
    public override IReadOnlyCollection<IHttpCookie> Cookies { get; } = [];

    /// <inheritdoc />
    public override Uri Url { get; } = new(request.GetDisplayUrl());

    /// <inheritdoc />
    public override IEnumerable<ClaimsIdentity> Identities => request.HttpContext.User.Identities;

    /// <inheritdoc />
    public override string Method => request.Method;

    /// <inheritdoc />
    public override HttpResponseData CreateResponse() => throw new NotSupportedException("This view of the request only names its URL; the function answers with an IResult.");
}
