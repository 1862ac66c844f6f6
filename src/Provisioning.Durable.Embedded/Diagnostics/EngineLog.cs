using Microsoft.Extensions.Logging;

namespace Provisioning.Durable.Embedded.Diagnostics;

/// <summary>The engine's structured log events (source-generated, so disabled levels cost nothing).</summary>
internal static partial class EngineLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Embedded durable engine started: hub {HubName}, store {Store}, worker {Worker}")]
    public static partial void EngineStarted(ILogger logger, string hubName, string store, string worker);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Embedded durable engine stopped: worker {Worker}")]
    public static partial void EngineStopped(ILogger logger, string worker);

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "Episode of {OrchestrationName} {InstanceId}: {EventCount} new events, {ActionCount} new actions, status {Status}")]
    public static partial void EpisodeCommitted(ILogger logger, string orchestrationName, string instanceId, int eventCount, int actionCount, string status);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Orchestration {OrchestrationName} {InstanceId} finished: {Status}")]
    public static partial void InstanceFinished(ILogger logger, string orchestrationName, string instanceId, string status);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Orchestration {OrchestrationName} {InstanceId} failed: {Failure}")]
    public static partial void InstanceFailed(ILogger logger, string orchestrationName, string instanceId, string failure);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "The lease on orchestration {InstanceId} was lost before its episode committed; the episode was discarded")]
    public static partial void OrchestrationLeaseLost(ILogger logger, string instanceId);

    [LoggerMessage(EventId = 14, Level = LogLevel.Error, Message = "Processing orchestration {InstanceId} failed; it is released and will be retried")]
    public static partial void OrchestrationProcessingFailed(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(EventId = 15, Level = LogLevel.Debug, Message = "Orchestration {OrchestrationName} {InstanceId} rebuilt by replaying {EventCount} history events")]
    public static partial void ExecutionReplayed(ILogger logger, string orchestrationName, string instanceId, int eventCount);

    [LoggerMessage(EventId = 20, Level = LogLevel.Debug, Message = "Activity {ActivityName} #{TaskId} of {InstanceId}: {Outcome}")]
    public static partial void ActivityFinished(ILogger logger, string activityName, int taskId, string instanceId, string outcome);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "The lease on activity {ActivityName} #{TaskId} of {InstanceId} was lost; its outcome was dropped and another worker runs it")]
    public static partial void ActivityLeaseLost(ILogger logger, string activityName, int taskId, string instanceId);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "Activity {ActivityName} #{TaskId} of {InstanceId} was interrupted by shutdown; it runs again after restart")]
    public static partial void ActivityInterrupted(ILogger logger, string activityName, int taskId, string instanceId);

    [LoggerMessage(EventId = 30, Level = LogLevel.Error, Message = "The {Dispatcher} dispatcher failed to fetch work; retrying")]
    public static partial void DispatcherFailed(ILogger logger, string dispatcher, Exception exception);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "Renewing the leases of worker {Worker} failed")]
    public static partial void LeaseRenewalFailed(ILogger logger, string worker, Exception exception);
}
