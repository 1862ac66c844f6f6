namespace Provisioning.Arm.Resources;

/// <summary>The result of an ensure call: the resource and whether this call created it.</summary>
/// <typeparam name="T">The resource record.</typeparam>
/// <param name="Resource">The resource as ARM returned it.</param>
/// <param name="Outcome">Created or found.</param>
public sealed record Ensured<T>(T Resource, EnsureOutcome Outcome)
{
    /// <summary>Whether this call created the resource.</summary>
    public bool Created => Outcome == EnsureOutcome.Created;
}
