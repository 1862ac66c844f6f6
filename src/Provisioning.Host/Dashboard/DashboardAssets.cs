using System.Collections.Frozen;

namespace Provisioning.Host.Dashboard;

/// <summary>
/// The dashboard's static files, embedded in the host's assembly (<c>Dashboard/wwwroot</c>), so the pages come with the
/// binary wherever it runs (the host's content root is the repository, not its output folder) and need no build step.
/// </summary>
internal static class DashboardAssets
{
    private const string ResourcePrefix = "Dashboard/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    // Read once: the files are small and never change while the host runs.
    private static readonly FrozenDictionary<string, byte[]> Files = Load();

    /// <summary>The file, or 404 for a name that is not one of the dashboard's files.</summary>
    public static IResult Serve(string file)
    {
        if (!Files.TryGetValue(file, out var content) || !ContentTypes.TryGetValue(System.IO.Path.GetExtension(file), out var type))
        {
            return Results.NotFound();
        }

        return new NoCacheFile(content, type);
    }

    private static FrozenDictionary<string, byte[]> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name[ResourcePrefix.Length..]] = copy.ToArray();
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    // The pages change with the host's version; revalidating each load keeps a browser from mixing old script and new API.
    private sealed class NoCacheFile(byte[] content, string contentType) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.CacheControl = "no-cache";
            httpContext.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Bytes(content, contentType).ExecuteAsync(httpContext);
        }
    }
}
