using System.Text;
using System.Text.Json.Nodes;

namespace Provisioning.ArmEmulator.Tests.ApiVersions;

/// <summary>
/// Request bodies written for the newest api-version of each type, with what the emulator's behaviour needs (public
/// images that need no grant, the parents' ids); <see cref="VersionedBody"/> fits them to every older version.
/// </summary>
internal static class VersionSeeds
{
    public const string Location = "westeurope";

    private const string PublicImage = "mcr.microsoft.com/azuredocs/aci-helloworld";

    public static JsonObject Registry() => new()
    {
        ["location"] = Location,
        ["sku"] = new JsonObject { ["name"] = "Premium" },
        ["properties"] = new JsonObject { ["adminUserEnabled"] = false },
    };

    public static JsonObject Task() => new()
    {
        ["location"] = Location,
        ["properties"] = new JsonObject
        {
            ["status"] = "Enabled",
            ["platform"] = new JsonObject { ["os"] = "Linux", ["architecture"] = "amd64" },
            ["agentConfiguration"] = new JsonObject { ["cpu"] = 2 },
            ["timeout"] = 3600,
            ["step"] = new JsonObject
            {
                ["type"] = "EncodedTask",
                ["encodedTaskContent"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("steps:\n  - cmd: mcr.microsoft.com/hello-world\n")),
            },
        },
    };

    public static JsonObject ContainerGroup() => new()
    {
        ["location"] = Location,
        ["properties"] = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = "c1",
                ["properties"] = new JsonObject
                {
                    ["image"] = PublicImage,
                    ["ports"] = new JsonArray(new JsonObject { ["port"] = 80 }),
                    ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = 1, ["memoryInGB"] = 1.5 } },
                },
            }),
            ["osType"] = "Linux",
            ["restartPolicy"] = "Always",
        },
    };

    public static JsonObject ContainerApp(string environment) => new()
    {
        ["location"] = Location,
        ["properties"] = new JsonObject
        {
            ["managedEnvironmentId"] = environment,
            ["environmentId"] = environment,
            ["configuration"] = new JsonObject { ["activeRevisionsMode"] = "Single" },
            ["template"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "mcr.microsoft.com/k8se/quickstart:latest" }),
            },
        },
    };

    public static JsonObject Vault(string tenantId) => new()
    {
        ["location"] = Location,
        ["properties"] = new JsonObject
        {
            ["tenantId"] = tenantId,
            ["sku"] = new JsonObject { ["family"] = "A", ["name"] = "standard" },
            ["accessPolicies"] = new JsonArray(),
        },
    };

    /// <summary>A VM with its system-assigned identity: what the grant-only kind reads.</summary>
    public static JsonObject VirtualMachine() => new()
    {
        ["location"] = Location,
        ["identity"] = new JsonObject { ["type"] = "SystemAssigned" },
        ["properties"] = new JsonObject { ["hardwareProfile"] = new JsonObject { ["vmSize"] = "Standard_B1s" } },
    };
}
