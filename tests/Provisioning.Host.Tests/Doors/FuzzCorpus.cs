using System.Text;
using System.Text.Json.Nodes;
using static Provisioning.Host.Tests.EventGrid.SampleEvents;

namespace Provisioning.Host.Tests.Doors;

/// <summary>A generated malformed request: what kind of mutation made it, and the request.</summary>
internal sealed record FuzzCase(string Kind, HttpMethod Method, string Url, byte[]? Body, string? ContentType, params (string Name, string Value)[] Headers)
{
    public HttpRequestMessage ToRequest()
    {
        var request = new HttpRequestMessage(Method, Url);
        if (Body is not null)
        {
            request.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}

/// <summary>
/// Deterministic, seeded mutations of valid events and requests, each made malformed on purpose (a well-formed event
/// would rightly start a run): every event of a delivery is broken (a required field removed, of another type, empty
/// or invalid, the data of the wrong shape), or the request around a valid delivery is (truncated, invalid UTF-8, wrong
/// media type, wrong function, no key, binary mode, wrong method), plus junk (extra fields, nested junk, huge strings);
/// and the Durable/provisioning APIs get invalid bodies, unknown names, bad ids and bad query values.
/// </summary>
internal static class FuzzCorpus
{
    private const string Webhook = "/runtime/webhooks/eventgrid?functionName=ProvisioningEvents&code=" + LoopbackHost.SystemKey;
    private const string Durable = "/runtime/webhooks/durabletask/";
    private const string Code = "code=" + LoopbackHost.SystemKey;

    private static readonly string[] EventGridRequired = ["id", "eventType", "subject", "eventTime", "data", "dataVersion"];
    private static readonly string[] CloudRequired = ["specversion", "id", "source", "type"];

    public static List<FuzzCase> Generate(int seed, string subscription, int count)
    {
        var random = new Random(seed);
        var cases = new List<FuzzCase>(count);
        while (cases.Count < count)
        {
            var roll = random.Next(100);
            cases.Add(roll switch
            {
                < 45 => BrokenEvents(random, subscription),
                < 65 => BrokenRequest(random, subscription),
                < 75 => BrokenBody(random, subscription),
                _ => BrokenApiCall(random),
            });
        }

        return cases;
    }

    private static (JsonObject Event, bool Cloud) ValidEvent(Random random, string subscription)
    {
        var id = "fuzz-" + random.Next().ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        var tag = $"{random.Next(1, 9)}.{random.Next(0, 99)}";
        return random.Next(5) switch
        {
            0 => (CloudImagePushed(id, subscription, tag), true),
            1 => (ResourceEvent(id, "Microsoft.Resources.ResourceWriteSuccess", $"/subscriptions/{subscription}/resourceGroups/rg-sandbox", subscription), false),
            2 => (ResourceEvent(id, "Microsoft.Resources.ResourceDeleteSuccess", $"/subscriptions/{subscription}/resourceGroups/rg-fuzz", subscription), false),
            _ => (ImagePushed(id, subscription, tag), false),
        };
    }

    private static JsonNode Junk(Random random, int depth = 0) => random.Next(depth > 3 ? 5 : 8) switch
    {
        0 => JsonValue.Create(random.Next(int.MinValue, int.MaxValue)),
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonValue.Create(random.NextDouble() * 1e300),
        3 => JsonValue.Create(RandomString(random, random.Next(0, 40))),
        4 => JsonValue.Create(string.Empty),
        5 => new JsonArray(Junk(random, depth + 1), Junk(random, depth + 1)),
        6 => new JsonObject { [RandomString(random, 5)] = Junk(random, depth + 1), ["$ref"] = Junk(random, depth + 1) },
        _ => new JsonArray(),
    };

    private static string RandomString(Random random, int length)
    {
        const string alphabet = "abcXYZ019 /:.-_%\"\\\u00e9\u4e2d\U0001F600\u0000\t\n{}[]";
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return builder.ToString();
    }

    /// <summary>Junk a header can carry (visible ASCII and spaces).</summary>
    private static string HeaderString(Random random, int length)
    {
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append((char)random.Next(0x20, 0x7F));
        }

        return builder.ToString().Trim();
    }

    /// <summary>A value of another type than a string (null included).</summary>
    private static JsonNode? NotAString(Random random) => random.Next(6) switch
    {
        0 => null,
        1 => JsonValue.Create(42),
        2 => JsonValue.Create(true),
        3 => new JsonArray("a"),
        4 => new JsonObject { ["value"] = "x" },
        _ => JsonValue.Create(-0.5),
    };

    /// <summary>Breaks an event so that no reading of it is valid.</summary>
    private static string Break(Random random, JsonObject e, bool cloud)
    {
        var required = cloud ? CloudRequired : EventGridRequired;
        var field = required[random.Next(required.Length)];
        switch (random.Next(cloud ? 7 : 8))
        {
            case 0:
                e.Remove(field);
                return $"missing {field}";
            case 1 when field != "data":
                e[field] = NotAString(random);
                return $"{field} not a string";
            case 2 when field is "id" or "eventType" or "type" or "source" or "specversion":
                e[field] = random.Next(2) == 0 ? string.Empty : "   ";
                return $"empty {field}";
            case 3:
                e[cloud ? "time" : "eventTime"] = random.Next(2) == 0 ? "yesterday" : JsonValue.Create(1700000000);
                return "bad time";
            case 4 when cloud:
                e["specversion"] = random.Next(2) == 0 ? "0.3" : "2.0";
                return "other specversion";
            case 5 when cloud:
                e["data_base64"] = "AAAA";
                return "data and data_base64";
            case 6 when cloud:
                e["datacontenttype"] = "text/plain";
                return "routed type without json data";
        }

        var type = (string?)e[cloud ? "type" : "eventType"];
        if (type == "Microsoft.ContainerRegistry.ImagePushed" && e["data"] is JsonObject data)
        {
            switch (random.Next(6))
            {
                case 0:
                    data["target"]!.AsObject().Remove("repository");
                    return "push without repository";
                case 1:
                    data["request"]!.AsObject().Remove("host");
                    return "push without host";
                case 2:
                    data["target"]!["repository"] = "bad repo " + RandomString(random, 5);
                    return "push repository with a space";
                case 3:
                    data["request"]!["host"] = "host/with/" + RandomString(random, 3);
                    return "push host with a path";
                case 4:
                    e["data"] = RandomString(random, 10);
                    return "push data a string";
                default:
                    data["target"]!["tag"] = "a:b " + RandomString(random, 2);
                    return "push bad tag";
            }
        }

        if (!cloud && type is not null && type.StartsWith("Microsoft.Resources.", StringComparison.Ordinal))
        {
            e["subject"] = random.Next(2) == 0 ? "/subscriptions//resourceGroups/x" : "not-a-resource-id " + RandomString(random, 6);
            return "resource subject not a resource id";
        }

        e.Remove(cloud ? "id" : "eventTime");
        return cloud ? "missing id" : "missing eventTime";
    }

    private static void AddJunk(Random random, JsonObject e)
    {
        switch (random.Next(4))
        {
            case 0:
                e["extra" + random.Next(100)] = Junk(random);
                break;
            case 1:
                e["huge"] = new string('x', random.Next(1_000, 200_000));
                break;
            case 2:
                var nested = Junk(random);
                for (var i = 0; i < random.Next(2, 30); i++)
                {
                    nested = new JsonObject { ["n"] = nested };
                }

                e["nested"] = nested;
                break;
            default:
                if (e["data"] is JsonObject data)
                {
                    data[RandomString(random, 4)] = Junk(random);
                }

                break;
        }
    }

    private static FuzzCase BrokenEvents(Random random, string subscription)
    {
        var count = random.Next(1, 4);
        var (first, cloud) = ValidEvent(random, subscription);
        var events = new JsonArray();
        var kinds = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var e = i == 0 ? first : ValidEvent(random, subscription) is var (next, nextCloud) && nextCloud == cloud ? next : (JsonObject)first.DeepClone();
            kinds.Add(Break(random, e, cloud));
            if (random.Next(2) == 0)
            {
                AddJunk(random, e);
            }

            events.Add(e);
        }

        string body, contentType;
        if (cloud && count == 1 && random.Next(2) == 0)
        {
            (body, contentType) = (events[0]!.ToJsonString(), "application/cloudevents+json");
        }
        else
        {
            (body, contentType) = (events.ToJsonString(), cloud && random.Next(2) == 0 ? "application/cloudevents-batch+json" : "application/json");
        }

        return new FuzzCase("event: " + string.Join(" + ", kinds.Distinct()), HttpMethod.Post, Webhook, Encoding.UTF8.GetBytes(body), contentType, ("aeg-event-type", "Notification"));
    }

    private static byte[] ValidDelivery(Random random, string subscription)
    {
        var (e, _) = ValidEvent(random, subscription);
        return Encoding.UTF8.GetBytes(new JsonArray(e).ToJsonString());
    }

    private static FuzzCase BrokenRequest(Random random, string subscription)
    {
        var body = ValidDelivery(random, subscription);
        return random.Next(9) switch
        {
            0 => new("request: wrong media type", HttpMethod.Post, Webhook, body, new[] { "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/vnd.contoso+json", "image/png", "application/octet-stream" }[random.Next(7)]),
            1 => new("request: unknown function", HttpMethod.Post, $"/runtime/webhooks/eventgrid?functionName={Uri.EscapeDataString(RandomString(random, random.Next(1, 20)))}&code={LoopbackHost.SystemKey}", body, "application/json"),
            2 => new("request: no function", HttpMethod.Post, $"/runtime/webhooks/eventgrid?code={LoopbackHost.SystemKey}", body, "application/json"),
            3 => new("request: no or wrong key", HttpMethod.Post, random.Next(2) == 0 ? "/runtime/webhooks/eventgrid?functionName=ProvisioningEvents" : $"/runtime/webhooks/eventgrid?functionName=ProvisioningEvents&code={LoopbackHost.FunctionKey}", body, "application/json"),
            4 => new("request: binary mode", HttpMethod.Post, Webhook, body, "application/json", ("ce-specversion", "1.0"), ("ce-id", "x"), ("ce-type", "Microsoft.ContainerRegistry.ImagePushed")),
            5 => new("request: validation header without validation event", HttpMethod.Post, Webhook, body, "application/json", ("aeg-event-type", "SubscriptionValidation")),
            6 => new("request: wrong method", new[] { HttpMethod.Get, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch }[random.Next(4)], Webhook, body, "application/json"),
            7 => new("request: options from another origin", HttpMethod.Options, Webhook, null, null, ("WebHook-Request-Origin", HeaderString(random, random.Next(0, 30)))),
            _ => new("request: options without origin", HttpMethod.Options, Webhook, null, null),
        };
    }

    private static FuzzCase BrokenBody(Random random, string subscription)
    {
        var body = ValidDelivery(random, subscription);
        switch (random.Next(7))
        {
            case 0:
                return new("body: truncated", HttpMethod.Post, Webhook, body[..random.Next(0, body.Length - 1)], "application/json");
            case 1:
                // Invalid UTF-8 inside a string value (the id's).
                var text = Encoding.UTF8.GetString(body);
                var at = text.IndexOf("\"fuzz-", StringComparison.Ordinal) + 2;
                var bytes = new List<byte>(Encoding.UTF8.GetBytes(text[..at]));
                bytes.AddRange(new[] { new byte[] { 0xFF }, [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80] }[random.Next(5)]);
                bytes.AddRange(Encoding.UTF8.GetBytes(text[at..]));
                return new("body: invalid UTF-8", HttpMethod.Post, Webhook, [.. bytes], "application/json");
            case 2:
                var depth = random.Next(65, 5000);
                return new("body: deep nesting", HttpMethod.Post, Webhook, Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth)), "application/json");
            case 3:
                var junk = new byte[random.Next(1, 2000)];
                random.NextBytes(junk);
                return new("body: random bytes", HttpMethod.Post, Webhook, junk, "application/json");
            case 4:
                return new("body: json of no events", HttpMethod.Post, Webhook, Encoding.UTF8.GetBytes(Junk(random).ToJsonString() is var j && (j.StartsWith('[') || j.StartsWith('{')) ? "[1," + j + "]" : j), "application/json");
            case 5:
                // A duplicate property: JSON that a lenient reader might take.
                var doubled = Encoding.UTF8.GetString(body).Replace("\"id\":", "\"id\":\"dup\",\"id\":", StringComparison.Ordinal);
                return new("body: duplicate property", HttpMethod.Post, Webhook, Encoding.UTF8.GetBytes(doubled), "application/json");
            default:
                return new("body: over the size limit", HttpMethod.Post, Webhook, Encoding.UTF8.GetBytes("[" + new string(' ', 1_100_000) + "]"), "application/json");
        }
    }

    private static string BadId(Random random) => random.Next(6) switch
    {
        0 => Uri.EscapeDataString(RandomString(random, random.Next(1, 30))),
        1 => "%FF%FE",
        2 => new string('i', random.Next(300, 3000)),
        3 => "..%2F..%2Fetc",
        4 => "%00",
        _ => "nobody-" + random.Next(),
    };

    private static FuzzCase BrokenApiCall(Random random)
    {
        var id = BadId(random);
        var bad = new[] { "{", "[1,", "nope", "{\"cities\":", "\u00ff", "{\"a\":1}}" }[random.Next(6)];
        switch (random.Next(10))
        {
            case 0:
                // A known orchestrator with a body that is not JSON: refused before anything starts.
                return new("api: start with a broken body", HttpMethod.Post, $"{Durable}orchestrators/HelloSequence/{id}?{Code}", Encoding.UTF8.GetBytes(bad), random.Next(3) == 0 ? "text/plain" : "application/json");
            case 1:
                return new("api: start an unknown orchestrator", HttpMethod.Post, $"{Durable}orchestrators/{Uri.EscapeDataString(RandomString(random, random.Next(1, 20)))}?{Code}", Encoding.UTF8.GetBytes("{}"), "application/json");
            case 2:
                return new("api: provisioning with a broken body", HttpMethod.Post, $"/api/provisioning/web?code={LoopbackHost.FunctionKey}", Encoding.UTF8.GetBytes(random.Next(2) == 0 ? bad : "{\"resourceGroup\":" + Junk(random).ToJsonString() is var rg && rg.Contains('"', StringComparison.Ordinal) ? bad : "{\"resourceGroup\":42}"), "application/json");
            case 3:
                return new("api: provisioning an unknown template", HttpMethod.Post, $"/api/provisioning/{Uri.EscapeDataString(RandomString(random, random.Next(1, 15)))}?code={LoopbackHost.FunctionKey}", Encoding.UTF8.GetBytes("{\"resourceGroup\":\"rg-sandbox\"}"), "application/json");
            case 4:
                return new("api: status of a bad id", HttpMethod.Get, $"{Durable}instances/{id}?{Code}&showHistory={new[] { "true", "maybe", "1", "" }[random.Next(4)]}", null, null);
            case 5:
                var query = new[] { "top=-5", "top=abc", "top=99999999999", "createdTimeFrom=junk", "createdTimeTo=2026-13-45", "runtimeStatus=Nope", "showInput=perhaps", "instanceIdPrefix=%FF" }[random.Next(8)];
                return new("api: list with a bad query", HttpMethod.Get, $"{Durable}instances?{Code}&{query}", null, null, ("x-ms-continuation-token", HeaderString(random, random.Next(0, 40))));
            case 6:
                return new("api: raise an event on a bad id", HttpMethod.Post, $"{Durable}instances/{id}/raiseEvent/{Uri.EscapeDataString(RandomString(random, 8))}?{Code}", Encoding.UTF8.GetBytes(bad), "application/json");
            case 7:
                var verb = new[] { "terminate", "suspend", "resume", "restart" }[random.Next(4)];
                return new($"api: {verb} a bad id", HttpMethod.Post, $"{Durable}instances/{id}/{verb}?{Code}&reason={Uri.EscapeDataString(RandomString(random, 10))}&restartWithNewInstanceId={new[] { "true", "x" }[random.Next(2)]}", null, null);
            case 8:
                return new("api: purge a bad id", HttpMethod.Delete, $"{Durable}instances/{id}?{Code}", null, null);
            default:
                return new("api: purge by a bad filter", HttpMethod.Delete, $"{Durable}instances?{Code}&createdTimeFrom={new[] { "junk", "2026-02-30", "" }[random.Next(3)]}&runtimeStatus=Completed", null, null);
        }
    }
}
