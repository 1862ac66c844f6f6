namespace Provisioning.ArmEmulator.ContainerRegistry;

/// <summary>The outcome of an image pull check.</summary>
/// <param name="Succeeded">Whether the pull works.</param>
/// <param name="Reason">Why not (a short machine-friendly reason).</param>
/// <param name="Message">A human-readable explanation, in the words the pulling service would use.</param>
internal sealed record PullResult(bool Succeeded, string Reason, string Message)
{
    public static readonly PullResult Ok = new(true, "Ok", "Pulled.");
}
