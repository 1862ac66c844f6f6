using System.Text.Json.Nodes;
using Azure.Core;
using Provisioning.Arm.Errors;
using Provisioning.Arm.Pipeline;

namespace Provisioning.Arm.Resources;

/// <summary>Microsoft.Resources/resourceGroups: get (location and tags, which resource events do not carry).</summary>
public sealed class ResourceGroupClient
{
    /// <summary>The api-version: the newest stable one of Microsoft.Resources in Azure/azure-rest-api-specs
    /// (<c>specification/resources/resource-manager/Microsoft.Resources/stable/2025-04-01/resources.json</c>).</summary>
    public const string ApiVersion = "2025-04-01";

    private readonly ArmPipeline _pipeline;

    internal ResourceGroupClient(ArmPipeline pipeline) => _pipeline = pipeline;

    /// <summary>Gets a resource group, or null when it does not exist.</summary>
    /// <param name="id">The group's id (<c>/subscriptions/{sub}/resourceGroups/{name}</c>).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a resource group id.</exception>
    /// <exception cref="ArmException">ARM refused the request.</exception>
    public async Task<ResourceGroup?> GetAsync(ArmResourceId id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Kind != ArmResourceIdKind.ResourceGroup)
        {
            throw new ArgumentException($"'{id}' is a {id.ResourceType}, not a resource group.", nameof(id));
        }

        var response = await _pipeline.SendAsync(RequestMethod.Get, id.ToString(), ApiVersion, null, [200, 404], cancellationToken);
        return response.Status == 404 ? null : Read(response.Body);
    }

    internal static ResourceGroup Read(JsonNode? body)
    {
        var id = JsonRead.String(body?["id"]) ?? throw new ArmException(0, new ArmError("InvalidResponse", "The resource group response has no 'id'.", null, []), null, null);
        return new ResourceGroup(
            ArmResourceId.Parse(id),
            JsonRead.String(body?["location"]) ?? string.Empty,
            JsonRead.Tags(body?["tags"]),
            JsonRead.String(body?["properties"]?["provisioningState"]));
    }
}
