using System.Text.Json.Nodes;
using Azure.Core;
using Provisioning.Arm.Errors;
using Provisioning.Arm.Pipeline;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.Identities;

/// <summary>Microsoft.ManagedIdentity/userAssignedIdentities: ensure, get, delete.</summary>
public sealed class UserAssignedIdentityClient
{
    /// <summary>The resource type.</summary>
    public const string ResourceType = "Microsoft.ManagedIdentity/userAssignedIdentities";

    private readonly ArmPipeline _pipeline;

    internal UserAssignedIdentityClient(ArmPipeline pipeline) => _pipeline = pipeline;

    /// <summary>Gets an identity, or null when it does not exist.</summary>
    /// <param name="id">The identity's resource id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<UserAssignedIdentity?> GetAsync(ArmResourceId id, CancellationToken cancellationToken)
    {
        CheckType(id);
        var response = await _pipeline.SendAsync(RequestMethod.Get, id.ToString(), ArmApiVersions.UserAssignedIdentities, null, [200, 404], cancellationToken);
        return response.Status == 404 ? null : Read(response.Body);
    }

    /// <summary>
    /// Ensures the identity exists: a GET first, so an identity that exists is reported as found and left
    /// untouched (its tags are not overwritten); otherwise a PUT creates it.
    /// </summary>
    /// <param name="id">The identity's resource id.</param>
    /// <param name="location">The region for a new identity.</param>
    /// <param name="tags">Tags for a new identity.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    public async Task<Ensured<UserAssignedIdentity>> EnsureAsync(ArmResourceId id, string location, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        var existing = await GetAsync(id, cancellationToken);
        if (existing is not null)
        {
            return new Ensured<UserAssignedIdentity>(existing, EnsureOutcome.Found);
        }
        var body = new JsonObject { ["location"] = location };
        if (tags is { Count: > 0 })
        {
            var tagObject = new JsonObject();
            foreach (var (key, value) in tags)
            {
                tagObject[key] = value;
            }
            body["tags"] = tagObject;
        }
        var response = await _pipeline.SendAsync(RequestMethod.Put, id.ToString(), ArmApiVersions.UserAssignedIdentities, body, [200, 201], cancellationToken);
        return new Ensured<UserAssignedIdentity>(Read(response.Body), response.Status == 201 ? EnsureOutcome.Created : EnsureOutcome.Found);
    }

    /// <summary>Deletes an identity; returns true when it existed (200), false when it was already gone (204/404).</summary>
    /// <param name="id">The identity's resource id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<bool> DeleteAsync(ArmResourceId id, CancellationToken cancellationToken)
    {
        CheckType(id);
        var response = await _pipeline.SendAsync(RequestMethod.Delete, id.ToString(), ArmApiVersions.UserAssignedIdentities, null, [200, 204, 404], cancellationToken);
        return response.Status == 200;
    }

    private static void CheckType(ArmResourceId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!id.ResourceType.Equals(ResourceType, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{id}' is a {id.ResourceType}, not a {ResourceType}.", nameof(id));
        }
    }

    internal static UserAssignedIdentity Read(JsonNode? body)
    {
        var id = JsonRead.String(body?["id"]) ?? throw new ArmException(0, new ArmError("InvalidResponse", "The identity response has no 'id'.", null, []), null, null);
        var properties = body?["properties"];
        return new UserAssignedIdentity(
            ArmResourceId.Parse(id),
            JsonRead.String(body?["location"]) ?? string.Empty,
            JsonRead.String(properties?["principalId"]) ?? string.Empty,
            JsonRead.String(properties?["clientId"]) ?? string.Empty,
            JsonRead.String(properties?["tenantId"]) ?? string.Empty,
            JsonRead.Tags(body?["tags"]));
    }
}
