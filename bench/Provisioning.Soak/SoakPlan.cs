using System.Text;

namespace Provisioning.Soak;

/// <summary>The workloads (half started over HTTP, half by events) and the seeded choice of those forced to fail.</summary>
internal static class SoakPlan
{
    public const string ResourceGroup = "rg-soak";
    public const string Registry = "sandboxacr";
    public const string RegistryResourceGroup = "rg-sandbox";
    public const string Location = "westeurope";
    public const string Template = "web";

    public static IReadOnlyList<SoakWorkload> Create(int runs, double failShare, Random random)
    {
        var workloads = Enumerable.Range(0, runs).Select(i => (Index: i, Path: i % 2 == 0 ? StartPath.Http : StartPath.Event)).ToList();
        var failing = new HashSet<int>();

        // The same share of each start path fails, so both paths meet compensation.
        foreach (var path in new[] { StartPath.Http, StartPath.Event })
        {
            var ofPath = workloads.Where(w => w.Path == path).Select(w => w.Index).ToArray();
            random.Shuffle(ofPath);
            failing.UnionWith(ofPath.Take((int)Math.Round(ofPath.Length * failShare)));
        }

        return workloads.Select(w => new SoakWorkload(w.Index, w.Path, failing.Contains(w.Index))).ToList();
    }

    /// <summary>One rule per event workload: a push to its repository deploys the web template as its own group.</summary>
    public static string Rules(IEnumerable<SoakWorkload> workloads)
    {
        var yaml = new StringBuilder("rules:\n");
        foreach (var w in workloads.Where(w => w.Path == StartPath.Event))
        {
            yaml.Append($"""
                  - name: {w.Group}
                    on: ImagePushed
                    registry: {Registry}
                    repository: {w.Repository}
                    tag: "*"
                    template: {Template}
                    resourceGroup: {ResourceGroup}
                    location: {Location}
                    parameters:
                      registryName: {Registry}
                      registryResourceGroup: {RegistryResourceGroup}
                      identityName: {w.Identity}
                      groupName: {w.Group}
                      dnsLabel: {w.Group}

                """);
        }

        return yaml.ToString();
    }

    /// <summary>The body of an HTTP start.</summary>
    public static object StartBody(SoakWorkload workload) => new
    {
        resourceGroup = ResourceGroup,
        location = Location,
        parameters = new Dictionary<string, string>
        {
            ["image"] = $"{Registry}.azurecr.io/hello/web:1.0",
            ["registryName"] = Registry,
            ["registryResourceGroup"] = RegistryResourceGroup,
            ["identityName"] = workload.Identity,
            ["groupName"] = workload.Group,
            ["dnsLabel"] = workload.Group,
        },
    };
}
