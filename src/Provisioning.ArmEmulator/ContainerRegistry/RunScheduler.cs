using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Provisioning.ArmEmulator.Arm;
using Provisioning.ArmEmulator.State;

namespace Provisioning.ArmEmulator.ContainerRegistry;

/// <summary>
/// <c>POST …/registries/{r}/scheduleRun</c>: creates a run (<c>Queued</c>), makes it <c>Running</c> half way
/// through the provisioning duration and ends it <c>Succeeded</c> or <c>Failed</c>. A run pulls the images its
/// task names (<c>cmd:</c> and <c>FROM</c> lines of encoded content, arguments/values whose name contains
/// "image"): images in its own registry are always readable; others need a <c>credentials.customRegistries</c>
/// identity of the task that holds a pull role (after propagation), and on a network-restricted registry the task's
/// system-assigned identity (<c>[system]</c>, a trusted service). A run that cannot pull ends <c>Failed</c> with ACR's
/// <c>runErrorMessage</c> (<see cref="FailedRunMessage"/>). A successful Docker build with
/// <c>isPushEnabled</c> pushes its <c>imageNames</c> (raising ImagePushed).
/// </summary>
internal sealed partial class RunScheduler : IPersistentState
{
    public const string RunType = "Microsoft.ContainerRegistry/registries/runs";

    /// <summary>The Tasks api-version in which <c>TaskRunRequest.taskId</c> replaced <c>taskName</c>.</summary>
    private const string TaskIdVersion = "2019-06-01-preview";

    private const string StartKind = "runs.start";
    private const string FinishKind = "runs.finish";

    /// <summary>ACR's <c>runErrorMessage</c> for a run that failed (acb exits 1 whether a login, a pull or a step failed).</summary>
    public const string FailedRunMessage = "failed during run, err: exit status 1";

    private static readonly string[] RequestTypes = ["DockerBuildRequest", "FileTaskRunRequest", "TaskRunRequest", "EncodedTaskRunRequest"];
    private readonly EmulatorContext _context;
    private readonly RegistryDataPlane _dataPlane;
    private readonly PullAuthorizer _pulls;
    private int _counter;
    private bool _tracking;
    private bool _counterChanged;

    public RunScheduler(EmulatorContext context, RegistryDataPlane dataPlane)
    {
        _context = context;
        _dataPlane = dataPlane;
        _pulls = new PullAuthorizer(context);
        _context.Operations.Register(StartKind, operation =>
        {
            if (_context.Store.Find(operation.ResourceId) is { } run && Status(run) == "Queued")
            {
                SetStatus(run, "Running", null, start: true, at: operation.DueTime);
            }

            return null;
        });
        _context.Operations.Register(FinishKind, Finish);
    }

    public ArmResponse Schedule(ArmRequest request, StoredResource registry)
    {
        var body = request.RequireObjectBody();
        var type = body["type"]?.GetValue<string>();
        if (type is null || !RequestTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArmException(HttpStatusCode.BadRequest, new ArmError("InvalidRequestContent", $"The request content was invalid and could not be deserialized: 'The value '{type}' of 'type' is not valid. Allowed values: '{string.Join("', '", RequestTypes)}'.'.", "type"));
        }

        StoredResource? task = null;
        if (type.Equals("TaskRunRequest", StringComparison.OrdinalIgnoreCase))
        {
            task = FindTask(request.ApiVersion, body, registry);
        }

        var runId = "ca" + Interlocked.Increment(ref _counter).ToString("x", CultureInfo.InvariantCulture);
        _counterChanged = _tracking;
        var now = _context.Time.GetUtcNow();
        var step = task?.Document["properties"]?["step"] as JsonObject;
        var doc = new JsonObject
        {
            ["id"] = $"{registry.Id}/runs/{runId}",
            ["name"] = runId,
            ["type"] = RunType,
            ["properties"] = new JsonObject
            {
                ["runId"] = runId,
                ["status"] = "Queued",
                ["lastUpdatedTime"] = ArmJson.Time(now),
                ["runType"] = task is null ? "QuickRun" : "QuickRun",
                ["createTime"] = ArmJson.Time(now),
                ["task"] = task?.Name,
                ["platform"] = (task?.Document["properties"]?["platform"] ?? body["platform"])?.DeepClone(),
                ["agentConfiguration"] = (task?.Document["properties"]?["agentConfiguration"] ?? body["agentConfiguration"])?.DeepClone(),
                ["provisioningState"] = "Succeeded",
                ["isArchiveEnabled"] = body["isArchiveEnabled"]?.DeepClone() ?? false,
                ["outputImages"] = new JsonArray(),
            },
        };
        var run = new StoredResource
        {
            Id = doc["id"]!.GetValue<string>(),
            Type = RunType,
            Name = runId,
            SubscriptionId = registry.SubscriptionId,
            ResourceGroup = registry.ResourceGroup,
            Document = doc,
            CreatedAt = now,
            ChangedAt = now,
        };
        _context.Store.Put(run);

        var images = ImagesOf(body).Concat(step is null ? [] : ImagesOf(step)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var imageNames = ((step?["imageNames"] ?? body["imageNames"]) as JsonArray)?.Select(n => n!.GetValue<string>().Replace("{{.Run.ID}}", runId, StringComparison.Ordinal)).ToList() ?? [];
        var push = (step?["isPushEnabled"] ?? body["isPushEnabled"])?.GetValue<bool>() ?? true;
        var duration = _context.Faults.Current.ProvisioningDuration;
        var location = registry.Location ?? "global";
        _context.Operations.Start(registry.SubscriptionId, "Microsoft.ContainerRegistry", location, run.Id, "POST", duration / 2, StartKind);
        _context.Operations.Start(registry.SubscriptionId, "Microsoft.ContainerRegistry", location, run.Id, "POST", duration, FinishKind, new JsonObject
        {
            ["registryId"] = registry.Id,
            ["type"] = type,
            ["stepType"] = step?["type"]?.GetValue<string>(),
            ["push"] = push,
            ["images"] = new JsonArray(images.Select(i => (JsonNode)i).ToArray()),
            ["imageNames"] = new JsonArray(imageNames.Select(i => (JsonNode)i).ToArray()),
            ["taskName"] = task?.Name,
            ["task"] = task?.Document.DeepClone(),
        });

        return ArmResponse.Ok(doc.DeepClone());
    }

    /// <summary>The end of a run: its images are pulled (a failure fails the run), then a Docker build pushes its image names.</summary>
    private ArmError? Finish(ArmOperation operation)
    {
        var run = _context.Store.Find(operation.ResourceId);
        var registry = _context.Store.Find(operation.Arg("registryId") ?? string.Empty);
        if (run is null || registry is null || Status(run) is "Canceled")
        {
            return null;
        }

        var task = operation.Args["task"] as JsonObject;
        var images = ((JsonArray?)operation.Args["images"] ?? []).Select(i => (string)i!).ToList();
        var failure = images.Select(i => Pull(i, registry, task)).FirstOrDefault(f => f is not null);
        if (failure is not null || _context.Faults.IsForcedToFail(run.Id, operation.Arg("taskName") ?? run.Name))
        {
            // ACR reports every failed login, pull or step with the same runErrorMessage; the reason (e.g. the
            // registry's "unauthorized: authentication required") is only in the run's log.
            failure ??= "the run is configured to fail (emulator fault 'FailingResources')";
            _context.Logger.LogInformation("Run {RunId} of task {Task} failed: {Reason}", run.Name, operation.Arg("taskName"), failure);
            SetStatus(run, "Failed", FailedRunMessage, start: false, at: operation.DueTime);
            return null;
        }

        var outputs = new JsonArray();
        var push = operation.Flag("push");
        if (push && string.Equals(operation.Arg("type"), "DockerBuildRequest", StringComparison.OrdinalIgnoreCase) || push && operation.Arg("stepType") == "Docker")
        {
            foreach (var name in ((JsonArray?)operation.Args["imageNames"] ?? []).Select(n => (string)n!))
            {
                var reference = ImageReference.Parse(name.Contains('/', StringComparison.Ordinal) && name.Split('/')[0].Contains('.', StringComparison.Ordinal) ? name : $"{registry.Document["properties"]!["loginServer"]}/{name}");
                var digest = _dataPlane.PushLocked(registry.Name, reference.Repository, reference.Reference);
                outputs.Add(new JsonObject { ["registry"] = reference.Server, ["repository"] = reference.Repository, ["tag"] = reference.Reference, ["digest"] = digest });
            }
        }

        SetStatus(run, "Succeeded", null, start: false, outputs, operation.DueTime);
        return null;
    }

    /// <summary>
    /// The task a <c>TaskRunRequest</c> names, in the request shape of its api-version: up to 2019-04-01 the task's
    /// <c>taskName</c> in this registry; from 2019-06-01-preview on its full resource id, <c>taskId</c>. The other
    /// version's member is unknown there and refused, as any unknown member is.
    /// </summary>
    private StoredResource FindTask(string apiVersion, JsonObject body, StoredResource registry)
    {
        var byId = string.CompareOrdinal(apiVersion, TaskIdVersion) >= 0;
        var (member, other) = byId ? ("taskId", "taskName") : ("taskName", "taskId");
        if (body[other] is not null)
        {
            throw new ArmException(HttpStatusCode.BadRequest, new ArmError("InvalidRequestContent", $"The request content was invalid and could not be deserialized: 'Could not find member '{other}' on object of type 'TaskRunRequest'. Path '{other}'.'.", other));
        }

        var value = (body[member] as JsonValue)?.TryGetValue<string>(out var text) == true ? text : null;
        if (string.IsNullOrEmpty(value))
        {
            throw new ArmException(HttpStatusCode.BadRequest, new ArmError("InvalidRequestContent", $"The request content was invalid and could not be deserialized: 'Required property '{member}' not found in JSON. Path ''.'.", member));
        }

        var id = byId ? value : $"{registry.Id}/tasks/{value}";
        var task = _context.Store.Find(id);
        if (task is null || !task.Type.Equals(RegistryTaskHandler.Type, StringComparison.OrdinalIgnoreCase))
        {
            var where = registry.ResourceGroup is { } rg ? $" under resource group '{rg}'" : string.Empty;
            var name = byId ? value : $"Microsoft.ContainerRegistry/registries/{registry.Name}/tasks/{value}";
            throw new ArmException(HttpStatusCode.NotFound, "ResourceNotFound", $"The Resource '{name}'{(byId ? string.Empty : where)} was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");
        }

        return task;
    }

    public ArmResponse Cancel(StoredResource run)
    {
        if (Status(run) is "Queued" or "Started" or "Running")
        {
            SetStatus(run, "Canceled", null, start: false);
        }

        return new ArmResponse(HttpStatusCode.OK);
    }

    private static string Status(StoredResource run) => run.Document["properties"]!["status"]!.GetValue<string>();

    private string? Pull(string image, StoredResource registry, JsonObject? task)
    {
        var reference = ImageReference.Parse(image);
        var ownServer = registry.Document["properties"]!["loginServer"]!.GetValue<string>();
        if (reference.Server.Equals(ownServer, StringComparison.OrdinalIgnoreCase))
        {
            var state = (RegistryState)registry.State!;
            return state.HasImage(reference.Repository, reference.Reference) ? null : $"failed to pull image '{image}': manifest unknown";
        }

        PullCredential credential = PullCredential.Anonymous;
        var custom = task?["properties"]?["credentials"]?["customRegistries"] as JsonObject;
        var entry = custom?.FirstOrDefault(kv => kv.Key.Equals(reference.Server, StringComparison.OrdinalIgnoreCase)).Value;
        if (entry?["identity"]?.GetValue<string>() is { } identity)
        {
            var principal = identity is "[system]" or "system"
                ? task!["identity"]?["principalId"]?.GetValue<string>()
                : (task!["identity"]?["userAssignedIdentities"] as JsonObject)?
                    .Select(kv => kv.Value)
                    .FirstOrDefault(v => string.Equals(v?["clientId"]?.GetValue<string>(), identity, StringComparison.OrdinalIgnoreCase))?["principalId"]?.GetValue<string>();
            if (principal is null)
            {
                return $"failed to pull image '{image}': the identity '{identity}' in credentials.customRegistries is not assigned to the task";
            }

            credential = new PullCredential(principal, IsSystemAssigned: identity is "[system]" or "system");
        }
        else if (entry?["userName"] is not null)
        {
            credential = new PullCredential(null, entry["userName"]?["value"]?.GetValue<string>(), entry["password"]?["value"]?.GetValue<string>());
        }

        var result = _pulls.Check(reference, credential, PullClient.RegistryTasks);
        return result.Succeeded ? null : $"failed to pull image '{image}': {result.Message}";
    }

    /// <summary>
    /// Moves a run to <paramref name="status"/>. Timestamps are the moment the change was due (<paramref name="at"/>), not
    /// when the emulator got round to it, so a clock that jumps still gives the run its real start and duration.
    /// </summary>
    private void SetStatus(StoredResource run, string status, string? error, bool start, JsonArray? outputs = null, DateTimeOffset? at = null)
    {
        var doc = (JsonObject)run.Document.DeepClone();
        var p = doc["properties"]!;
        var now = ArmJson.Time(at ?? _context.Time.GetUtcNow());
        p["status"] = status;
        p["lastUpdatedTime"] = now;
        if (start)
        {
            p["startTime"] = now;
        }
        else
        {
            p["finishTime"] = now;
        }

        if (error is not null)
        {
            p["runErrorMessage"] = error;
        }

        if (outputs is not null)
        {
            p["outputImages"] = outputs;
        }

        run.Document = doc;
        run.ChangedAt = _context.Time.GetUtcNow();
    }

    string IPersistentState.Prefix => "runs";

    void IPersistentState.StartTracking() => _tracking = true;

    void IPersistentState.WriteChanges(StateWriter writer)
    {
        if (_counterChanged)
        {
            WriteCounter(writer);
            _counterChanged = false;
        }
    }

    void IPersistentState.WriteAll(StateWriter writer) => WriteCounter(writer);

    void IPersistentState.Restore(string key, JsonObject value) => _counter = Math.Max(_counter, (int?)value["counter"] ?? 0);

    private void WriteCounter(StateWriter writer)
    {
        var json = writer.Put("runs", "ids");
        json.WriteStartObject();
        json.WriteNumber("counter", Volatile.Read(ref _counter));
        json.WriteEndObject();
    }

    private static IEnumerable<string> ImagesOf(JsonObject source)
    {
        foreach (var key in new[] { "encodedTaskContent", "encodedValuesContent" })
        {
            if (source[key]?.GetValue<string>() is { } encoded)
            {
                string text;
                try
                {
                    text = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
                }
                catch (FormatException)
                {
                    continue;
                }

                foreach (Match m in ImageLine().Matches(text))
                {
                    yield return m.Groups["image"].Value.Trim('"', '\'');
                }
            }
        }

        foreach (var key in new[] { "arguments", "values" })
        {
            if (source[key] is JsonArray items)
            {
                foreach (var item in items)
                {
                    if (item?["name"]?.GetValue<string>() is { } name && name.Contains("image", StringComparison.OrdinalIgnoreCase) && item["value"]?.GetValue<string>() is { Length: > 0 } value)
                    {
                        yield return value;
                    }
                }
            }
        }
    }

    [GeneratedRegex(@"(?:^|\n)\s*(?:-\s*)?(?:cmd:\s*|FROM\s+)(?<image>[^\s]+)", RegexOptions.IgnoreCase)]
    private static partial Regex ImageLine();
}
