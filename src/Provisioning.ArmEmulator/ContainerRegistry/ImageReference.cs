namespace Provisioning.ArmEmulator.ContainerRegistry;

/// <summary>A parsed image reference <c>server/repository[:tag|@digest]</c>.</summary>
/// <param name="Server">Registry host (docker.io when absent).</param>
/// <param name="Repository">Repository path.</param>
/// <param name="Reference">Tag or digest.</param>
internal sealed record ImageReference(string Server, string Repository, string Reference)
{
    public static ImageReference Parse(string image)
    {
        var server = "docker.io";
        var rest = image;
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && (image[..slash].Contains('.', StringComparison.Ordinal) || image[..slash].Contains(':', StringComparison.Ordinal) || image[..slash] == "localhost"))
        {
            server = image[..slash];
            rest = image[(slash + 1)..];
        }

        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return new ImageReference(server.ToLowerInvariant(), rest[..at], rest[(at + 1)..]);
        }

        var colon = rest.LastIndexOf(':');
        return colon > 0 && !rest[colon..].Contains('/', StringComparison.Ordinal)
            ? new ImageReference(server.ToLowerInvariant(), rest[..colon], rest[(colon + 1)..])
            : new ImageReference(server.ToLowerInvariant(), rest, "latest");
    }

    public bool IsAzureContainerRegistry => Server.EndsWith(".azurecr.io", StringComparison.OrdinalIgnoreCase);

    public override string ToString() => $"{Server}/{Repository}:{Reference}";
}
