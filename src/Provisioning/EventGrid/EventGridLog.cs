using Microsoft.Extensions.Logging;

namespace Provisioning.EventGrid;

/// <summary>The webhook's log messages.</summary>
internal static partial class EventGridLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Loaded {RuleCount} event rules from {RulesPath}")]
    public static partial void RulesLoaded(ILogger logger, int ruleCount, string rulesPath);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "No rules file at {RulesPath}: events are acknowledged and start nothing")]
    public static partial void NoRulesFile(ILogger logger, string rulesPath);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Event {EventId} ({EventType}) matches no rule; acknowledged")]
    public static partial void Unmatched(ILogger logger, string eventId, string eventType);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Rule {Rule} started run {InstanceId} of template {Template} for event {EventId}")]
    public static partial void RunStarted(ILogger logger, string rule, string instanceId, string template, string eventId);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Event {EventId} was delivered again: run {InstanceId} already exists")]
    public static partial void Duplicate(ILogger logger, string eventId, string instanceId);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "Rule {Rule} skipped event {EventId}: {Reason}")]
    public static partial void Skipped(ILogger logger, string rule, string eventId, string reason);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "Resource group {ResourceGroup} was deleted: ended and forgot {Count} runs")]
    public static partial void Forgot(ILogger logger, string resourceGroup, int count);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning, Message = "Refused an Event Grid request: {Problem}")]
    public static partial void Refused(ILogger logger, string problem);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Information, Message = "Answered the {Schema} validation handshake")]
    public static partial void Validated(ILogger logger, string schema);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Refused event [{Index}] ({EventId}) of a delivery; the others are handled: {Reason}")]
    public static partial void EventRefused(ILogger logger, int index, string? eventId, string reason);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Error, Message = "An Event Grid delivery failed unexpectedly; answered 500 so Event Grid delivers it again")]
    public static partial void Failed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Refused the CloudEvents handshake of origin {Origin}: not in the allowed origins")]
    public static partial void OriginRefused(ILogger logger, string origin);
}
