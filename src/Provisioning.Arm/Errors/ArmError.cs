namespace Provisioning.Arm.Errors;

/// <summary>ARM's error body (<c>{"error": {"code", "message", "target", "details"}}</c>) as a record.</summary>
/// <param name="Code">The error code, e.g. <c>PrincipalNotFound</c>.</param>
/// <param name="Message">The message.</param>
/// <param name="Target">The target of the error, or null.</param>
/// <param name="Details">Nested errors.</param>
public sealed record ArmError(string Code, string Message, string? Target, IReadOnlyList<ArmError> Details)
{
    /// <summary>This error and every nested detail, depth first.</summary>
    public IEnumerable<ArmError> SelfAndDetails() => Details.SelectMany(d => d.SelfAndDetails()).Prepend(this);
}
