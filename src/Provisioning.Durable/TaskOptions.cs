namespace Provisioning.Durable;

/// <summary>Options of an activity or sub-orchestration call.</summary>
/// <param name="Retry">The retry policy; <c>null</c> means a failure is final at once.</param>
public record TaskOptions(RetryPolicy? Retry = null)
{
    /// <summary>Options that retry under <paramref name="policy"/>.</summary>
    public static TaskOptions FromRetryPolicy(RetryPolicy policy) => new(policy);
}

/// <summary>Options of a sub-orchestration call.</summary>
/// <param name="InstanceId">The child's instance id; <c>null</c> lets the engine derive a deterministic one.</param>
/// <param name="Retry">The retry policy.</param>
public sealed record SubOrchestrationOptions(string? InstanceId = null, RetryPolicy? Retry = null) : TaskOptions(Retry);
