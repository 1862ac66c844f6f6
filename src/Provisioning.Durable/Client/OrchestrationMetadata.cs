using Provisioning.Durable.Serialization;

namespace Provisioning.Durable.Client;

/// <summary>The state of an orchestration instance as a client sees it.</summary>
/// <param name="Name">The orchestration's registered name.</param>
/// <param name="InstanceId">The instance id.</param>
/// <param name="RuntimeStatus">Where the instance is in its life.</param>
/// <param name="CreatedAt">When the instance (its current generation's first run) was scheduled.</param>
/// <param name="LastUpdatedAt">When its state last changed.</param>
public sealed record OrchestrationMetadata(
    string Name,
    string InstanceId,
    OrchestrationRuntimeStatus RuntimeStatus,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt)
{
    /// <summary>The serialized input (when asked for).</summary>
    public string? SerializedInput { get; init; }

    /// <summary>The serialized output of a completed instance, or the reason of a terminated one (when asked for).</summary>
    public string? SerializedOutput { get; init; }

    /// <summary>The serialized custom status (when asked for).</summary>
    public string? SerializedCustomStatus { get; init; }

    /// <summary>Why a failed instance failed.</summary>
    public FailureDetails? FailureDetails { get; init; }

    /// <summary>The instance's history, oldest first (only when asked for).</summary>
    public IReadOnlyList<OrchestrationHistoryEvent>? History { get; init; }

    /// <summary>True once the instance has finished (completed, failed or terminated).</summary>
    public bool IsCompleted => RuntimeStatus.IsTerminal();

    /// <summary>Reads the input as <typeparamref name="T"/>.</summary>
    public T? ReadInputAs<T>(DataConverter? converter = null) => (converter ?? JsonDataConverter.Default).Deserialize<T>(SerializedInput);

    /// <summary>Reads the output as <typeparamref name="T"/>.</summary>
    public T? ReadOutputAs<T>(DataConverter? converter = null) => (converter ?? JsonDataConverter.Default).Deserialize<T>(SerializedOutput);

    /// <summary>Reads the custom status as <typeparamref name="T"/>.</summary>
    public T? ReadCustomStatusAs<T>(DataConverter? converter = null) => (converter ?? JsonDataConverter.Default).Deserialize<T>(SerializedCustomStatus);
}
