using System.Net;

namespace Provisioning.Arm.Errors;

/// <summary>Classifies ARM errors as transient, retry-later or permanent by status and error code.</summary>
public static class ArmErrorClassifier
{
    /// <summary>Codes that mean "Azure is not ready yet": replication of a new principal, a grant that is not yet
    /// effective for an image pull, a conflicting operation still running.</summary>
    private static readonly HashSet<string> RetryLaterCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "PrincipalNotFound",
        "InaccessibleImage",
        "RegistryErrorResponse",
        "AnotherOperationInProgress",
        "RoleAssignmentPropagating",

        // ACI answers 409 while a group is being created, restarted or deleted: the same PUT succeeds once it settles.
        "ContainerGroupTransitioning",
    };

    private static readonly HashSet<string> TransientCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "TooManyRequests",
        "InternalServerError",
        "ServiceUnavailable",
        "GatewayTimeout",
        "RetryableError",
        "ServerTimeout",
    };

    /// <summary>Classifies an error by its HTTP status and its code (and nested codes).</summary>
    /// <param name="status">The HTTP status (0 when the error came from an operation status body).</param>
    /// <param name="error">The ARM error.</param>
    public static ArmErrorKind Classify(int status, ArmError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var codes = error.SelfAndDetails().Select(e => e.Code).ToArray();
        if (codes.Any(RetryLaterCodes.Contains))
        {
            return ArmErrorKind.RetryLater;
        }
        if (status is (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or >= 500 || codes.Any(TransientCodes.Contains))
        {
            return ArmErrorKind.Transient;
        }
        return ArmErrorKind.Permanent;
    }
}
