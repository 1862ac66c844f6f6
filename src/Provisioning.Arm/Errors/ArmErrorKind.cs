namespace Provisioning.Arm.Errors;

/// <summary>What a caller should do about an ARM error.</summary>
public enum ArmErrorKind
{
    /// <summary>A passing fault (throttling, 5xx, timeouts) that outlasted the pipeline's own retries: try again soon.</summary>
    Transient,

    /// <summary>Azure is not ready yet (a new principal not replicated, a grant not yet effective for image pulls):
    /// try again later with backoff, for a bounded time.</summary>
    RetryLater,

    /// <summary>The request is wrong or not allowed: retrying the same request will not help.</summary>
    Permanent,
}
