using Provisioning.Arm.ContainerInstance;

namespace Provisioning.Workloads.ContainerGroups;

/// <summary>
/// Recognises a refused image pull, in the two shapes Azure reports it: the error codes of a synchronous refusal,
/// and the events of a group that failed while pulling (<c>Pulling</c> → <c>Failed</c> "Failed to pull image …").
/// </summary>
public static class PullFailure
{
    private static readonly string[] PullErrorCodes = ["InaccessibleImage", "RegistryErrorResponse"];

    /// <summary>True for the error codes of a refused pull.</summary>
    public static bool IsPullError(string? code)
        => code is not null && PullErrorCodes.Contains(code, StringComparer.OrdinalIgnoreCase);

    /// <summary>The message of the group's pull failure, or null when no container failed to pull its image.</summary>
    public static string? Describe(ContainerGroupInstance group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var pullEvent = group.Containers.SelectMany(container => container.Events).Concat(group.Events)
            .LastOrDefault(e => e.Message.Contains("pull", StringComparison.OrdinalIgnoreCase)
                && (e.Name.Equals("Failed", StringComparison.OrdinalIgnoreCase) || e.Name.Equals("BackOff", StringComparison.OrdinalIgnoreCase)
                    || e.Message.StartsWith("Failed", StringComparison.OrdinalIgnoreCase)));
        return pullEvent?.Message;
    }
}
