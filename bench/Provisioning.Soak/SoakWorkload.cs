namespace Provisioning.Soak;

/// <summary>How a workload's run is started.</summary>
internal enum StartPath
{
    /// <summary><c>POST /api/provisioning/web/{instanceId}</c> on the host, retried until it answers 202 or 409.</summary>
    Http,

    /// <summary>An image pushed to the emulator's registry: Event Grid delivers ImagePushed, a rule starts the run.</summary>
    Event,
}

/// <summary>
/// One workload of the soak: its own container group, identity and DNS label, so no two runs deploy the same group (no
/// run supersedes another) and every resource names the one run that may own it.
/// </summary>
/// <param name="Index">Its number.</param>
/// <param name="Path">How its run starts.</param>
/// <param name="ForcedToFail">Whether the emulator fails its container group (the run must fail and compensate).</param>
internal sealed record SoakWorkload(int Index, StartPath Path, bool ForcedToFail)
{
    /// <summary>The container group's name (also what the emulator's <c>failingResources</c> names).</summary>
    public string Group => $"soak-{(Path == StartPath.Http ? "http" : "ev")}-{Index:D3}";

    /// <summary>The user-assigned identity's name.</summary>
    public string Identity => $"{Group}-id";

    /// <summary>The image repository whose push starts an event run.</summary>
    public string Repository => $"soak/{Group}";

    /// <summary>The instance id an HTTP run is started with (event runs get theirs from the event).</summary>
    public string HttpInstanceId => $"soak-run-{Group}";
}
