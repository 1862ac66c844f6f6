using Provisioning.Arm.Errors;

namespace Provisioning.Arm.Tests.Unit;

public sealed class ArmErrorClassifierTests
{
    private static ArmError Error(string code, params ArmError[] details) => new(code, "message", null, details);

    [Theory]
    [InlineData(400, "PrincipalNotFound", ArmErrorKind.RetryLater)]
    [InlineData(400, "InaccessibleImage", ArmErrorKind.RetryLater)]
    [InlineData(0, "InaccessibleImage", ArmErrorKind.RetryLater)]
    [InlineData(409, "AnotherOperationInProgress", ArmErrorKind.RetryLater)]
    [InlineData(409, "ContainerGroupTransitioning", ArmErrorKind.RetryLater)]
    [InlineData(409, "ContainerGroupQuotaReached", ArmErrorKind.Permanent)]
    [InlineData(429, "TooManyRequests", ArmErrorKind.Transient)]
    [InlineData(503, "ServiceUnavailable", ArmErrorKind.Transient)]
    [InlineData(500, "InternalServerError", ArmErrorKind.Transient)]
    [InlineData(408, "RequestTimeout", ArmErrorKind.Transient)]
    [InlineData(400, "InvalidRequestContent", ArmErrorKind.Permanent)]
    [InlineData(403, "AuthorizationFailed", ArmErrorKind.Permanent)]
    [InlineData(409, "RoleAssignmentUpdateNotPermitted", ArmErrorKind.Permanent)]
    [InlineData(404, "ResourceGroupNotFound", ArmErrorKind.Permanent)]
    public void Errors_are_classified_by_status_and_code(int status, string code, ArmErrorKind kind)
    {
        Assert.Equal(kind, ArmErrorClassifier.Classify(status, Error(code)));
    }

    [Fact]
    public void A_retry_later_code_in_the_details_makes_the_error_retry_later()
    {
        var error = Error("DeploymentFailed", Error("Conflict", Error("PrincipalNotFound")));

        Assert.Equal(ArmErrorKind.RetryLater, ArmErrorClassifier.Classify(400, error));
    }

    [Fact]
    public void The_exception_carries_status_code_message_target_and_kind()
    {
        var exception = new ArmException(400, new ArmError("PrincipalNotFound", "Principal abc does not exist.", "principalId", []), "req-1", TimeSpan.FromSeconds(3));

        Assert.Equal(400, exception.Status);
        Assert.Equal("PrincipalNotFound", exception.Code);
        Assert.Equal("principalId", exception.Error.Target);
        Assert.Equal(ArmErrorKind.RetryLater, exception.Kind);
        Assert.Equal("req-1", exception.RequestId);
        Assert.Equal("ARM request failed with HTTP 400: PrincipalNotFound: Principal abc does not exist.", exception.Message);
    }
}
