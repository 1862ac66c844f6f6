namespace Provisioning.ArmEmulator.Admin;

/// <summary>Body of <c>POST /_emulator/registries/{registryName}/images</c>.</summary>
/// <param name="Repository">Repository, e.g. <c>samples/hello</c>.</param>
/// <param name="Tag">Tag, e.g. <c>v1</c>.</param>
/// <param name="Digest">Optional digest; generated when absent.</param>
public sealed record PushImageRequest(string Repository, string Tag, string? Digest = null);
