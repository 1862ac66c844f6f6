namespace Provisioning.Arm.ContainerRegistry;

/// <summary>An image a run produced (<c>outputImages[]</c>) or used, as ACR describes it.</summary>
/// <param name="Registry">The registry's login server, e.g. <c>myregistry.azurecr.io</c>.</param>
/// <param name="Repository">The repository.</param>
/// <param name="Tag">The tag, if any.</param>
/// <param name="Digest">The manifest digest, if any.</param>
public sealed record RegistryImageDescriptor(string? Registry, string? Repository, string? Tag, string? Digest)
{
    /// <summary>The image reference, <c>registry/repository:tag@digest</c> with the parts ACR reported.</summary>
    public string Reference =>
        (Registry is { Length: > 0 } ? Registry + "/" : string.Empty)
        + Repository
        + (Tag is { Length: > 0 } ? ":" + Tag : string.Empty)
        + (Digest is { Length: > 0 } ? "@" + Digest : string.Empty);
}
