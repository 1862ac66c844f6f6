using System.Text.Json.Nodes;
using Azure.Core;
using Provisioning.Arm.Pipeline;

namespace Provisioning.Arm.Resources;

/// <summary>
/// Lists whole collections with one request per page: every resource of a type in a subscription
/// (<c>GET /subscriptions/{s}/providers/{namespace}/{type}</c>), every role assignment of a subscription, or a child
/// collection such as a registry's tasks. What a drift scan reads, so that its request count follows the number of
/// types and pages, not the number of deployments.
/// </summary>
public sealed class ArmListClient
{
    private readonly ArmPipeline _pipeline;

    internal ArmListClient(ArmPipeline pipeline) => _pipeline = pipeline;

    /// <summary>Every resource of <paramref name="resourceType"/> in a subscription.</summary>
    /// <param name="subscriptionId">The subscription.</param>
    /// <param name="resourceType">The full type, e.g. <c>Microsoft.ContainerInstance/containerGroups</c>.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    public Task<ArmListResult> ListBySubscriptionAsync(string subscriptionId, string resourceType, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subscriptionId);
        ArgumentException.ThrowIfNullOrEmpty(resourceType);
        return ListAsync($"/subscriptions/{subscriptionId}/providers/{resourceType}", ArmApiVersions.For(resourceType), cancellationToken);
    }

    /// <summary>
    /// Every role assignment that applies in a subscription (at it, above it and below it: resource groups and resources),
    /// as ARM lists <c>/subscriptions/{s}/providers/Microsoft.Authorization/roleAssignments</c> without a filter.
    /// </summary>
    /// <param name="subscriptionId">The subscription.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    public Task<ArmListResult> ListRoleAssignmentsAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subscriptionId);
        return ListAsync($"/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/roleAssignments", ArmApiVersions.RoleAssignments, cancellationToken);
    }

    /// <summary>Every item of a collection path (e.g. <c>{registryId}/tasks</c>), following <c>nextLink</c>.</summary>
    /// <param name="collectionPath">The collection's path under the ARM endpoint.</param>
    /// <param name="apiVersion">The api-version.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    public async Task<ArmListResult> ListAsync(string collectionPath, string apiVersion, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(collectionPath);
        ArgumentException.ThrowIfNullOrEmpty(apiVersion);
        var items = new List<JsonObject>();
        var response = await _pipeline.SendAsync(RequestMethod.Get, collectionPath, apiVersion, null, [200], cancellationToken);
        var pages = 1;
        while (true)
        {
            foreach (var item in response.Body?["value"] as JsonArray ?? [])
            {
                if (item is JsonObject resource)
                {
                    items.Add(resource);
                }
            }

            if (JsonRead.String(response.Body?["nextLink"]) is not { Length: > 0 } next)
            {
                return new ArmListResult(items, pages);
            }

            response = await _pipeline.GetUrlAsync(next, [200], cancellationToken);
            pages++;
        }
    }
}
