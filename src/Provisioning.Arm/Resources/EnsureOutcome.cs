namespace Provisioning.Arm.Resources;

/// <summary>Whether an ensure call created the resource or found it already there (compensation deletes only what was created).</summary>
public enum EnsureOutcome
{
    /// <summary>This call created the resource.</summary>
    Created,

    /// <summary>The resource existed before this call; it was left as it was.</summary>
    Found,
}
