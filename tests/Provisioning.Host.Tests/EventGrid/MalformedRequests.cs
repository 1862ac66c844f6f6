using System.Net;
using System.Text.Json.Nodes;
using static Provisioning.Host.Tests.EventGrid.SampleEvents;

namespace Provisioning.Host.Tests.EventGrid;

/// <summary>A request the webhook must refuse: what is sent, the status expected and a phrase the problem's detail must contain.</summary>
/// <param name="Body">The body, given the subscription whose resource group exists (so a well-formed version would start a run).</param>
/// <param name="ContentType">The content type, or null for none.</param>
/// <param name="Status">The expected status.</param>
/// <param name="Named">What the detail names.</param>
/// <param name="Url">The URL, or null for the webhook with the function name and the system key.</param>
/// <param name="Headers">Extra headers.</param>
internal sealed record MalformedRequest(Func<string, string> Body, string? ContentType, HttpStatusCode Status, string Named, string? Url = null, params (string Name, string Value)[] Headers);

/// <summary>The corpus of malformed deliveries and requests.</summary>
internal static class MalformedRequests
{
    private const string Json = "application/json";
    private const string Cloud = "application/cloudevents+json";
    private const string CloudBatch = "application/cloudevents-batch+json";
    private const HttpStatusCode Bad = HttpStatusCode.BadRequest;

    public static IReadOnlyDictionary<string, MalformedRequest> Cases { get; } = Build();

    public static TheoryData<string> Corpus
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in Cases.Keys)
            {
                data.Add(name);
            }

            return data;
        }
    }

    private static MalformedRequest Push(Func<JsonObject, JsonObject> change, string named)
        => new(sub => Array(change(ImagePushed("malformed-" + Guid.NewGuid().ToString("N"), sub))), Json, Bad, named);

    private static MalformedRequest PushData(string path, JsonNode? value, string named)
        => Push(e => WithData(e, path, value), named);

    private static MalformedRequest CloudPush(Func<JsonObject, JsonObject> change, string named)
        => new(sub => change(CloudImagePushed("malformed-" + Guid.NewGuid().ToString("N"), sub)).ToJsonString(), Cloud, Bad, named);

    private static MalformedRequest GroupEvent(string type, string subject, string named)
        => new(sub => Array(ResourceEvent("malformed-" + Guid.NewGuid().ToString("N"), type, subject, sub)), Json, Bad, named);

    private static Dictionary<string, MalformedRequest> Build()
    {
        const string Write = "Microsoft.Resources.ResourceWriteSuccess";
        const string Delete = "Microsoft.Resources.ResourceDeleteSuccess";
        var good = (string sub) => Array(ImagePushed("good-" + Guid.NewGuid().ToString("N"), sub));
        return new Dictionary<string, MalformedRequest>(StringComparer.Ordinal)
        {
            // The request.
            // An unknown or missing function is 404, as the Functions Event Grid extension answers (Event Grid retries it).
            ["no function name"] = new(good, Json, HttpStatusCode.NotFound, "names no function", EventGridHost.Webhook(function: null)),
            ["unknown function name"] = new(good, Json, HttpStatusCode.NotFound, "no Event Grid function named 'Elsewhere'", EventGridHost.Webhook(function: "Elsewhere")),
            ["text/plain body"] = new(good, "text/plain", HttpStatusCode.UnsupportedMediaType, "'text/plain'"),
            ["xml body"] = new(_ => "<events/>", "application/xml", HttpStatusCode.UnsupportedMediaType, "'application/xml'"),
            ["other +json media type"] = new(good, "application/vnd.contoso+json", HttpStatusCode.UnsupportedMediaType, "'application/vnd.contoso+json'"),
            ["cloudevents binary mode"] = new(sub => PushDataJson(), Json, HttpStatusCode.UnsupportedMediaType, "binary mode", null, ("ce-specversion", "1.0"), ("ce-id", "1"), ("ce-type", "Microsoft.ContainerRegistry.ImagePushed"), ("ce-source", "/x")),
            ["empty body"] = new(_ => string.Empty, Json, Bad, "has none"),
            ["not json"] = new(_ => "hello", Json, Bad, "not valid JSON"),
            ["truncated json"] = new(sub => good(sub)[..40], Json, Bad, "not valid JSON"),
            ["json number"] = new(_ => "42", Json, Bad, "neither a JSON array of events nor one event object"),
            ["json string"] = new(_ => "\"events\"", Json, Bad, "neither a JSON array of events nor one event object"),
            ["empty array"] = new(_ => "[]", Json, Bad, "empty array"),
            ["array of numbers"] = new(_ => "[1, 2]", Json, Bad, "Event [0] is not a JSON object"),
            ["array with null"] = new(_ => "[null]", Json, Bad, "Event [0] is not a JSON object"),
            ["empty object in array"] = new(_ => "[{}]", Json, Bad, "no known schema"),
            ["object of no schema"] = new(_ => """{"name":"x","value":1}""", Json, Bad, "no known schema"),
            // A batch is refused as a whole only when none of its events is usable (see DoorTests for a batch with good and bad events).
            ["mixed schemas, none usable"] = new(sub => new JsonArray(With(ImagePushed("m1", sub), "id", null, remove: true), CloudImagePushed("m2", sub)).ToJsonString(), Json, Bad, "No event of the delivery is usable"),
            ["oversized body"] = new(sub => Array(WithData(ImagePushed("huge", sub), "padding", new string('x', 1_100_000))), Json, HttpStatusCode.RequestEntityTooLarge, "limit"),
            ["validation header without validation event"] = new(good, Json, Bad, "has no Microsoft.EventGrid.SubscriptionValidationEvent", null, ("aeg-event-type", "SubscriptionValidation")),
            ["validation event without code"] = new(_ => Array(WithData(Validation("x"), "validationCode", null)), Json, Bad, "validationCode", null, ("aeg-event-type", "SubscriptionValidation")),
            ["validation header on cloudevents"] = new(sub => CloudImagePushed("v", sub).ToJsonString(), Cloud, Bad, "CloudEvents subscriptions validate with an OPTIONS request", null, ("aeg-event-type", "SubscriptionValidation")),
            ["cloudevents+json with an array"] = new(sub => new JsonArray(CloudImagePushed("c1", sub)).ToJsonString(), Cloud, Bad, "is one CloudEvent"),
            ["cloudevents batch with an object"] = new(sub => CloudImagePushed("c1", sub).ToJsonString(), CloudBatch, Bad, "JSON array of CloudEvents"),
            ["too many events"] = new(_ => "[" + string.Join(',', Enumerable.Repeat("1", 5001)) + "]", Json, Bad, "at most 5000"),

            // Event Grid schema fields.
            ["missing id"] = Push(e => With(e, "id", null, remove: true), "has no 'id'"),
            ["empty id"] = Push(e => With(e, "id", " "), "empty 'id'"),
            ["numeric id"] = Push(e => With(e, "id", 7), "'id' that is not a string"),
            ["missing eventType"] = Push(e => With(e, "eventType", null, remove: true), "no known schema"),
            ["empty eventType"] = Push(e => With(e, "eventType", ""), "empty 'eventType'"),
            ["missing subject"] = Push(e => With(e, "subject", null, remove: true), "has no 'subject'"),
            ["numeric subject"] = Push(e => With(e, "subject", 3), "'subject' that is not a string"),
            ["missing eventTime"] = Push(e => With(e, "eventTime", null, remove: true), "has no 'eventTime'"),
            ["eventTime not a time"] = Push(e => With(e, "eventTime", "yesterday"), "not an RFC 3339 time"),
            ["missing data"] = Push(e => With(e, "data", null, remove: true), "has no 'data'"),
            ["missing dataVersion"] = Push(e => With(e, "dataVersion", null, remove: true), "has no 'dataVersion'"),
            ["numeric topic"] = Push(e => With(e, "topic", 1), "'topic' that is not a string"),
            ["every event of a batch bad"] = new(sub => new JsonArray(With(ImagePushed("batch-bad-1", sub), "data", null), With(ImagePushed("batch-bad", sub), "id", null, remove: true)).ToJsonString(), Json, Bad, "No event of the delivery is usable (2 refused)"),

            // ImagePushed data.
            ["push data null"] = Push(e => With(e, "data", null), "has no 'data' object"),
            ["push data a string"] = Push(e => With(e, "data", "pushed"), "ImagePushed"),
            ["push without target"] = PushData("target", null, "data.target.repository"),
            ["push without repository"] = PushData("target.repository", null, "data.target.repository"),
            ["push with empty repository"] = PushData("target.repository", "", "data.target.repository"),
            ["push without request"] = PushData("request", null, "data.request.host"),
            ["push without host"] = PushData("request.host", null, "data.request.host"),
            ["push host with a path"] = PushData("request.host", "sandboxacr.azurecr.io/evil", "not an image reference"),
            ["push repository with a space"] = PushData("target.repository", "hello web", "not an image reference"),
            ["push tag with a space"] = PushData("target.tag", "v 1", "not an image tag"),
            ["push tag with a colon"] = PushData("target.tag", "v:1", "not an image tag"),
            ["push topic not a resource id"] = Push(e => With(e, "topic", "sandboxacr"), "not a resource id"),
            ["push topic of another type"] = Push(e => With(e, "topic", $"/subscriptions/{Subscription}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st"), "an image push comes from a Microsoft.ContainerRegistry/registries"),
            ["push topic with a bad subscription"] = Push(e => With(e, "topic", "/subscriptions/not-a-guid/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/r"), "is not a GUID"),

            // Resource events.
            ["write subject not a resource id"] = GroupEvent(Write, "rg-new", "not a resource id"),
            ["write subject empty"] = GroupEvent(Write, string.Empty, "not a resource id"),
            ["delete subject with a bad subscription"] = GroupEvent(Delete, "/subscriptions/xyz/resourceGroups/rg-x", "is not a GUID"),
            ["delete subject with an empty segment"] = GroupEvent(Delete, $"/subscriptions/{Subscription}//resourceGroups/rg-x", "no empty segments"),
            ["write subject without a group name"] = GroupEvent(Write, $"/subscriptions/{Subscription}/resourceGroups", "followed by the resource group name"),
            ["write data not an object"] = new(sub => Array(With(ResourceEvent("w", Write, $"/subscriptions/{sub}/resourceGroups/rg-sandbox", sub), "data", "written")), Json, Bad, "has no 'data' object"),

            // CloudEvents.
            ["cloudevent specversion 0.3"] = CloudPush(e => With(e, "specversion", "0.3"), "only CloudEvents 1.0"),
            ["cloudevent without source"] = CloudPush(e => With(e, "source", null, remove: true), "has no 'source'"),
            ["cloudevent without type"] = CloudPush(e => With(e, "type", null, remove: true), "has no 'type'"),
            ["cloudevent without id"] = CloudPush(e => With(e, "id", null, remove: true), "has no 'id'"),
            ["cloudevent time not a time"] = CloudPush(e => With(e, "time", "now"), "not an RFC 3339 time"),
            ["cloudevent push without data"] = CloudPush(e => With(e, "data", null, remove: true), "has no JSON 'data'"),
            ["cloudevent with data and data_base64"] = CloudPush(e => With(e, "data_base64", "e30="), "both 'data' and 'data_base64'"),
            ["cloudevent validation event"] = CloudPush(e => With(e, "type", "Microsoft.EventGrid.SubscriptionValidationEvent"), "validate with an OPTIONS request"),
            ["cloudevent batch all bad"] = new(sub => new JsonArray(With(CloudImagePushed("cb1", sub), "type", ""), With(CloudImagePushed("cb2", sub), "source", "")).ToJsonString(), CloudBatch, Bad, "Event [0] has an empty 'type'"),
        };
    }

    private static string PushDataJson() => SampleEvents.PushData().ToJsonString();
}
