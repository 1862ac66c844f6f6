namespace Provisioning.Arm.ContainerInstance;

/// <summary>When the containers of a group restart.</summary>
public enum RestartPolicy
{
    /// <summary>Always restart.</summary>
    Always,

    /// <summary>Restart on failure only.</summary>
    OnFailure,

    /// <summary>Never restart.</summary>
    Never,
}
