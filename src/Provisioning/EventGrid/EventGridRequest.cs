namespace Provisioning.EventGrid;

/// <summary>
/// What <see cref="EventGridRequestHandler"/> needs of an HTTP request to an Event Grid endpoint, whichever host
/// received it: the method, the <c>functionName</c> query value, the headers Event Grid's protocol uses and the body.
/// </summary>
/// <param name="Method">The HTTP method: <c>POST</c> delivers events (or the Event Grid validation handshake); <c>OPTIONS</c> is the CloudEvents handshake.</param>
/// <param name="Body">The request body.</param>
public sealed record EventGridRequest(string Method, Stream Body)
{
    /// <summary>The header that marks Event Grid's validation handshake (<c>SubscriptionValidation</c>) or a delivery (<c>Notification</c>).</summary>
    public const string EventTypeHeader = "aeg-event-type";

    /// <summary>The header of the CloudEvents abuse-protection handshake: who asks to deliver.</summary>
    public const string RequestOriginHeader = "WebHook-Request-Origin";

    /// <summary>A header that only a CloudEvents binary-mode delivery carries.</summary>
    public const string CloudEventsSpecVersionHeader = "ce-specversion";

    /// <summary>The <c>Content-Type</c> header.</summary>
    public const string ContentTypeHeader = "Content-Type";

    /// <summary>The value of the <c>functionName</c> query parameter: the Event Grid function the delivery is for; null when absent.</summary>
    public string? FunctionName { get; init; }

    /// <summary>The <c>Content-Type</c>, or null.</summary>
    public string? ContentType { get; init; }

    /// <summary>The <c>Content-Length</c>, or null.</summary>
    public long? ContentLength { get; init; }

    /// <summary>The <c>aeg-event-type</c> header, or null.</summary>
    public string? EventType { get; init; }

    /// <summary>The <c>WebHook-Request-Origin</c> header, or null.</summary>
    public string? RequestOrigin { get; init; }

    /// <summary>The <c>ce-specversion</c> header, or null when absent.</summary>
    public string? CloudEventsSpecVersion { get; init; }

    /// <summary>Builds the request from a host's view of it.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="functionName">The <c>functionName</c> query value, or null.</param>
    /// <param name="header">A header's (first) value by name, or null when the request does not carry it.</param>
    /// <param name="contentLength">The <c>Content-Length</c>, or null.</param>
    /// <param name="body">The body.</param>
    public static EventGridRequest Create(string method, string? functionName, Func<string, string?> header, long? contentLength, Stream body)
    {
        ArgumentNullException.ThrowIfNull(header);
        return new EventGridRequest(method, body)
        {
            FunctionName = functionName,
            ContentType = header(ContentTypeHeader),
            ContentLength = contentLength,
            EventType = header(EventTypeHeader),
            RequestOrigin = header(RequestOriginHeader),
            CloudEventsSpecVersion = header(CloudEventsSpecVersionHeader),
        };
    }
}
