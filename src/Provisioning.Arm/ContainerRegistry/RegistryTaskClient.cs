using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.Extensions.Logging;
using Provisioning.Arm.Errors;
using Provisioning.Arm.Pipeline;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.ContainerRegistry;

/// <summary>
/// ACR Tasks: <c>Microsoft.ContainerRegistry/registries/tasks</c> (get, create-or-update, delete) and their runs
/// (<c>scheduleRun</c>, get, list, cancel), at <see cref="ArmApiVersions.RegistryTasks"/>.
/// </summary>
public sealed class RegistryTaskClient
{
    /// <summary>The task resource type.</summary>
    public const string ResourceType = "Microsoft.ContainerRegistry/registries/tasks";

    /// <summary>The run resource type.</summary>
    public const string RunResourceType = "Microsoft.ContainerRegistry/registries/runs";

    // Tasks_Create may answer 201 with provisioningState Creating (the spec's example does): the task is read back
    // until it settles. Task creation takes seconds; this bound only stops a task that never settles from hanging.
    private static readonly TimeSpan CreateTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(2);

    private readonly ArmPipeline _pipeline;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    internal RegistryTaskClient(ArmPipeline pipeline, TimeProvider timeProvider, ILogger logger)
    {
        _pipeline = pipeline;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Gets a task, or null when it (or its registry) does not exist.</summary>
    /// <param name="taskId">The task's resource id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<RegistryTask?> GetAsync(ArmResourceId taskId, CancellationToken cancellationToken)
    {
        CheckType(taskId, ResourceType);
        var response = await _pipeline.SendAsync(RequestMethod.Get, taskId.ToString(), ArmApiVersions.RegistryTasks, null, [200, 404], cancellationToken);
        return response.Status == 404 ? null : ReadTask(response.Body);
    }

    /// <summary>
    /// Creates or replaces a task (PUT) and returns it once ARM reports it settled: a 201 with
    /// <c>provisioningState</c> Creating/Updating is read back until Succeeded. For a system-assigned identity the
    /// result carries <see cref="RegistryTaskIdentity.PrincipalId"/> (grant roles to it after this returns).
    /// </summary>
    /// <param name="taskId">The task's resource id.</param>
    /// <param name="definition">The body.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <exception cref="ArmException">ARM refused the task, or it ended in provisioningState Failed/Canceled.</exception>
    public async Task<RegistryTask> CreateOrUpdateAsync(ArmResourceId taskId, RegistryTaskDefinition definition, CancellationToken cancellationToken)
    {
        CheckType(taskId, ResourceType);
        ArgumentNullException.ThrowIfNull(definition);
        var response = await _pipeline.SendAsync(RequestMethod.Put, taskId.ToString(), ArmApiVersions.RegistryTasks, definition.ToArmBody(), [200, 201], cancellationToken);
        var task = ReadTask(response.Body);
        _logger.LogInformation("Registry task {Task} create-or-update answered {Status} (provisioningState {ProvisioningState})", taskId, response.Status, task.ProvisioningState);
        var deadline = _timeProvider.GetUtcNow() + CreateTimeout;
        var delay = response.RetryAfter ?? DefaultPollInterval;
        while (!IsSettled(task.ProvisioningState))
        {
            if (_timeProvider.GetUtcNow() >= deadline)
            {
                throw new ArmException(0, new ArmError("TaskProvisioningTimeout", $"The task '{taskId}' was still '{task.ProvisioningState}' after {CreateTimeout.TotalMinutes:0} minutes.", taskId.ToString(), []), null, null);
            }
            await Task.Delay(delay, _timeProvider, cancellationToken);
            var poll = await _pipeline.SendAsync(RequestMethod.Get, taskId.ToString(), ArmApiVersions.RegistryTasks, null, [200], cancellationToken);
            task = ReadTask(poll.Body);
            delay = poll.RetryAfter ?? DefaultPollInterval;
        }
        if (!string.Equals(task.ProvisioningState ?? "Succeeded", "Succeeded", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArmException(0, new ArmError("TaskProvisioningFailed", $"The task '{taskId}' ended in provisioningState '{task.ProvisioningState}'.", taskId.ToString(), []), null, null);
        }
        return task;
    }

    /// <summary>Deletes a task; returns true when it existed, false when it was already gone (204/404). Its system-assigned identity goes with it.</summary>
    /// <param name="taskId">The task's resource id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<bool> DeleteAsync(ArmResourceId taskId, CancellationToken cancellationToken)
    {
        CheckType(taskId, ResourceType);
        var response = await _pipeline.SendAsync(RequestMethod.Delete, taskId.ToString(), ArmApiVersions.RegistryTasks, null, [200, 202, 204, 404], cancellationToken);
        _logger.LogInformation("Registry task {Task} delete answered {Status}", taskId, response.Status);
        return response.Status is 200 or 202;
    }

    /// <summary>
    /// Queues a run of a task (<c>POST …/registries/{r}/scheduleRun</c> with <c>{"type": "TaskRunRequest", "taskId": …}</c>)
    /// and returns the run as ACR accepted it (normally <see cref="RegistryRunStatus.Queued"/>).
    /// </summary>
    /// <param name="taskId">The task's resource id; the run is scheduled on its registry.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="ArmException">ARM refused the request (e.g. 404 ResourceNotFound for a missing task).</exception>
    public async Task<RegistryRun> ScheduleRunAsync(ArmResourceId taskId, CancellationToken cancellationToken)
    {
        CheckType(taskId, ResourceType);
        var registry = taskId.Parent!;
        var body = new JsonObject { ["type"] = "TaskRunRequest", ["taskId"] = taskId.ToString() };
        var response = await _pipeline.SendAsync(RequestMethod.Post, registry + "/scheduleRun", ArmApiVersions.RegistryTasks, body, [200, 202], cancellationToken);
        var run = ReadRun(response.Body);
        _logger.LogInformation("Registry task {Task} run {RunId} scheduled ({RunStatus})", taskId, run.RunId, run.StatusText);
        return run;
    }

    /// <summary>Gets a run, or null when it does not exist.</summary>
    /// <param name="registryId">The registry's resource id.</param>
    /// <param name="runId">The run id <see cref="ScheduleRunAsync"/> returned.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<RegistryRun?> GetRunAsync(ArmResourceId registryId, string runId, CancellationToken cancellationToken)
    {
        CheckType(registryId, RegistryClient.ResourceType);
        CheckRunId(runId);
        var response = await _pipeline.SendAsync(RequestMethod.Get, registryId.Child("runs", runId).ToString(), ArmApiVersions.RegistryTasks, null, [200, 404], cancellationToken);
        return response.Status == 404 ? null : ReadRun(response.Body);
    }

    /// <summary>
    /// Lists a registry's runs, newest first, following <c>nextLink</c>. ACR's <c>$filter</c> takes OData
    /// comparisons such as <c>TaskName eq 'build'</c>, <c>Status eq 'Running'</c> or <c>RunId eq 'ca1'</c> joined by <c>and</c>/<c>or</c>.
    /// </summary>
    /// <param name="registryId">The registry's resource id.</param>
    /// <param name="filter">The <c>$filter</c>, or null for every run.</param>
    /// <param name="top">The most runs to return (<c>$top</c>), or null for ACR's default.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    public async Task<IReadOnlyList<RegistryRun>> ListRunsAsync(ArmResourceId registryId, string? filter, int? top, CancellationToken cancellationToken)
    {
        CheckType(registryId, RegistryClient.ResourceType);
        if (top is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(top), top, "$top must be positive.");
        }
        var query = new List<(string, string)>();
        if (!string.IsNullOrWhiteSpace(filter))
        {
            query.Add(("$filter", filter));
        }
        if (top is { } count)
        {
            query.Add(("$top", count.ToString(CultureInfo.InvariantCulture)));
        }
        var results = new List<RegistryRun>();
        var response = await _pipeline.SendAsync(RequestMethod.Get, registryId + "/runs", ArmApiVersions.RegistryTasks, null, [200], cancellationToken, [.. query]);
        while (true)
        {
            results.AddRange(JsonRead.Objects(response.Body?["value"]).Select(ReadRun));
            var next = JsonRead.String(response.Body?["nextLink"]);
            if (string.IsNullOrEmpty(next) || top is { } limit && results.Count >= limit)
            {
                return top is { } most && results.Count > most ? results[..most] : results;
            }
            response = await _pipeline.GetUrlAsync(next, [200], cancellationToken);
        }
    }

    /// <summary>Lists the runs of one task, newest first (<c>$filter=TaskName eq '…'</c>).</summary>
    /// <param name="taskId">The task's resource id.</param>
    /// <param name="top">The most runs to return, or null for ACR's default.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    public Task<IReadOnlyList<RegistryRun>> ListTaskRunsAsync(ArmResourceId taskId, int? top, CancellationToken cancellationToken)
    {
        CheckType(taskId, ResourceType);
        return ListRunsAsync(taskId.Parent!, $"TaskName eq '{taskId.Name.Replace("'", "''", StringComparison.Ordinal)}'", top, cancellationToken);
    }

    /// <summary>Cancels a run (<c>POST …/runs/{runId}/cancel</c>); a run that already ended keeps its status.</summary>
    /// <param name="registryId">The registry's resource id.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task CancelRunAsync(ArmResourceId registryId, string runId, CancellationToken cancellationToken)
    {
        CheckType(registryId, RegistryClient.ResourceType);
        CheckRunId(runId);
        await _pipeline.SendAsync(RequestMethod.Post, registryId.Child("runs", runId) + "/cancel", ArmApiVersions.RegistryTasks, null, [200, 202, 204], cancellationToken);
    }

    internal static string IdentityTypeText(RegistryTaskIdentityType type) => type switch
    {
        RegistryTaskIdentityType.SystemAssigned => "SystemAssigned",
        RegistryTaskIdentityType.UserAssigned => "UserAssigned",
        RegistryTaskIdentityType.SystemAssignedUserAssigned => "SystemAssigned, UserAssigned",
        _ => "None",
    };

    private static RegistryTaskIdentityType ParseIdentityType(string? text)
    {
        var normalized = (text ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal);
        var system = normalized.Contains("SystemAssigned", StringComparison.OrdinalIgnoreCase);
        var user = normalized.Contains("UserAssigned", StringComparison.OrdinalIgnoreCase);
        return system && user ? RegistryTaskIdentityType.SystemAssignedUserAssigned
            : system ? RegistryTaskIdentityType.SystemAssigned
            : user ? RegistryTaskIdentityType.UserAssigned
            : RegistryTaskIdentityType.None;
    }

    private static bool IsSettled(string? provisioningState) =>
        provisioningState is null
        || provisioningState.Equals("Succeeded", StringComparison.OrdinalIgnoreCase)
        || provisioningState.Equals("Failed", StringComparison.OrdinalIgnoreCase)
        || provisioningState.Equals("Canceled", StringComparison.OrdinalIgnoreCase);

    private static void CheckType(ArmResourceId id, string type)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!id.ResourceType.Equals(type, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{id}' is a {id.ResourceType}, not a {type}.", nameof(id));
        }
    }

    private static void CheckRunId(string runId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        if (runId.Contains('/', StringComparison.Ordinal) || runId.Contains('?', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{runId}' is not a run id.", nameof(runId));
        }
    }

    internal static RegistryTask ReadTask(JsonNode? body)
    {
        var id = JsonRead.String(body?["id"]) ?? throw new ArmException(0, new ArmError("InvalidResponse", "The task response has no 'id'.", null, []), null, null);
        var properties = body?["properties"] as JsonObject;
        var identity = body?["identity"] as JsonObject;
        var customRegistries = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (properties?["credentials"]?["customRegistries"] is JsonObject registries)
        {
            foreach (var (server, entry) in registries)
            {
                customRegistries[server] = JsonRead.String(entry?["identity"]);
            }
        }
        return new RegistryTask(
            ArmResourceId.Parse(id),
            JsonRead.String(body?["location"]) ?? string.Empty,
            JsonRead.String(properties?["provisioningState"]),
            JsonRead.String(properties?["status"]),
            JsonRead.String(properties?["step"]?["type"]),
            identity is null ? null : ReadIdentity(identity),
            customRegistries,
            JsonRead.Tags(body?["tags"]))
        {
            Properties = properties?.DeepClone() as JsonObject,
        };
    }

    private static RegistryTaskIdentity ReadIdentity(JsonObject identity)
    {
        var users = (identity["userAssignedIdentities"] as JsonObject)?
            .Where(p => ArmResourceId.TryParse(p.Key, out _, out _))
            .Select(p => new RegistryTaskUserAssignedIdentity(ArmResourceId.Parse(p.Key), JsonRead.String(p.Value?["principalId"]), JsonRead.String(p.Value?["clientId"])))
            .ToArray() ?? [];
        return new RegistryTaskIdentity(
            ParseIdentityType(JsonRead.String(identity["type"])),
            JsonRead.String(identity["principalId"]),
            JsonRead.String(identity["tenantId"]),
            users);
    }

    internal static RegistryRun ReadRun(JsonNode? body)
    {
        var properties = body?["properties"];
        var runId = JsonRead.String(properties?["runId"]) ?? JsonRead.String(body?["name"]);
        var id = JsonRead.String(body?["id"]);
        if (runId is null || id is null)
        {
            throw new ArmException(0, new ArmError("InvalidResponse", "The run response has no 'id' or no 'runId'.", null, []), null, null);
        }
        var status = JsonRead.String(properties?["status"]);
        return new RegistryRun(
            ArmResourceId.Parse(id),
            runId,
            Enum.TryParse<RegistryRunStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(status, out _) ? parsed : RegistryRunStatus.Unknown,
            status,
            JsonRead.String(properties?["runType"]),
            JsonRead.String(properties?["task"]),
            JsonRead.Time(properties?["createTime"]),
            JsonRead.Time(properties?["startTime"]),
            JsonRead.Time(properties?["finishTime"]),
            JsonRead.Objects(properties?["outputImages"]).Select(i => new RegistryImageDescriptor(
                JsonRead.String(i["registry"]),
                JsonRead.String(i["repository"]),
                JsonRead.String(i["tag"]),
                JsonRead.String(i["digest"]))).ToArray(),
            JsonRead.String(properties?["runErrorMessage"]))
        {
            LastUpdatedTime = JsonRead.Time(properties?["lastUpdatedTime"]),
        };
    }
}
