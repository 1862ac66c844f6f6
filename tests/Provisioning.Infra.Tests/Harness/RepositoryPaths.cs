using System.Reflection;

namespace Provisioning.Infra.Tests.Harness;

/// <summary>Where the repository, its infra/ folder and the restored Bicep CLI package are (set by the build).</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = Path.GetFullPath(Metadata("RepositoryRoot"));

    public static string Infra { get; } = Path.Combine(Root, "infra");

    public static string BicepPackageDirectory { get; } = Metadata("BicepPackageDirectory");

    private static string Metadata(string key)
    {
        var value = typeof(RepositoryPaths).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == key)?.Value;
        return string.IsNullOrWhiteSpace(value)
            ? throw new InvalidOperationException($"Assembly metadata '{key}' is missing: the test project sets it at build time.")
            : value;
    }
}
