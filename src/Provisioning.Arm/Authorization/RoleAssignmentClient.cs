using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.Extensions.Logging;
using Provisioning.Arm.Errors;
using Provisioning.Arm.Pipeline;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.Authorization;

/// <summary>Microsoft.Authorization/roleAssignments: ensure (deterministic names), delete, list.</summary>
public sealed class RoleAssignmentClient
{
    private const string Provider = "/providers/Microsoft.Authorization/roleAssignments";
    private readonly ArmPipeline _pipeline;
    private readonly ILogger _logger;

    internal RoleAssignmentClient(ArmPipeline pipeline, ILogger logger)
    {
        _pipeline = pipeline;
        _logger = logger;
    }

    /// <summary>
    /// Ensures <paramref name="principalId"/> holds the role at <paramref name="scope"/>. A GET of the assignment
    /// named by <see cref="RoleAssignmentName"/> comes first: when it exists it is found and left alone (so a
    /// re-run never claims a grant it did not make, whatever status a repeated PUT would answer). Otherwise a
    /// PUT with <c>principalType: ServicePrincipal</c> (which lets ARM accept a principal that is not yet
    /// replicated) creates it: 201 is created, 200 found; a <c>409 RoleAssignmentExists</c> (the same grant
    /// under another name) resolves to that existing assignment, found.
    /// A <c>PrincipalNotFound</c> surfaces as an <see cref="ArmException"/> of kind <see cref="ArmErrorKind.RetryLater"/>.
    /// </summary>
    /// <param name="scope">Where the role applies (e.g. a registry).</param>
    /// <param name="principalId">The principal's object id.</param>
    /// <param name="roleDefinitionGuid">The role definition GUID (see <see cref="BuiltInRoles"/>).</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    public async Task<Ensured<RoleAssignment>> EnsureAsync(ArmResourceId scope, string principalId, Guid roleDefinitionGuid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentException.ThrowIfNullOrWhiteSpace(principalId);
        var roleDefinitionId = BuiltInRoles.DefinitionId(scope.SubscriptionId, roleDefinitionGuid);
        var name = RoleAssignmentName.For(scope, principalId, roleDefinitionId);
        var body = new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["roleDefinitionId"] = roleDefinitionId,
                ["principalId"] = principalId,
                ["principalType"] = "ServicePrincipal",
            },
        };
        var current = await GetAsync(scope, name, cancellationToken);
        if (current is not null)
        {
            return new Ensured<RoleAssignment>(current, EnsureOutcome.Found);
        }
        try
        {
            var response = await _pipeline.SendAsync(RequestMethod.Put, $"{scope}{Provider}/{name:D}", ArmApiVersions.RoleAssignments, body, [200, 201], cancellationToken);
            return new Ensured<RoleAssignment>(Read(response.Body), response.Status == 201 ? EnsureOutcome.Created : EnsureOutcome.Found);
        }
        catch (ArmException error) when (error.Status == 409 && error.Code.Equals("RoleAssignmentExists", StringComparison.OrdinalIgnoreCase))
        {
            var existing = (await ListForPrincipalAsync(scope, principalId, cancellationToken))
                .FirstOrDefault(a => a.RoleDefinitionGuid == roleDefinitionGuid && ArmResourceId.TryParse(a.Scope, out var at, out _) && at.Equals(scope));
            if (existing is null)
            {
                throw;
            }
            _logger.LogInformation("Role {RoleDefinitionId} for {PrincipalId} at {Scope} already exists as {Assignment}", roleDefinitionId, principalId, scope, existing.Name);
            return new Ensured<RoleAssignment>(existing, EnsureOutcome.Found);
        }
    }

    /// <summary>Gets an assignment by scope and name, or null when it does not exist.</summary>
    /// <param name="scope">The assignment scope.</param>
    /// <param name="name">The assignment name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<RoleAssignment?> GetAsync(ArmResourceId scope, Guid name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var response = await _pipeline.SendAsync(RequestMethod.Get, $"{scope}{Provider}/{name:D}", ArmApiVersions.RoleAssignments, null, [200, 404], cancellationToken);
        return response.Status == 404 ? null : Read(response.Body);
    }

    /// <summary>Deletes an assignment; returns true when it existed (200), false when already gone (204/404).</summary>
    /// <param name="scope">The assignment scope.</param>
    /// <param name="name">The assignment name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<bool> DeleteAsync(ArmResourceId scope, Guid name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var response = await _pipeline.SendAsync(RequestMethod.Delete, $"{scope}{Provider}/{name:D}", ArmApiVersions.RoleAssignments, null, [200, 204, 404], cancellationToken);
        return response.Status == 200;
    }

    /// <summary>Lists the assignments of a principal that apply at a scope (at, above and below it), following <c>nextLink</c>.</summary>
    /// <param name="scope">The scope.</param>
    /// <param name="principalId">The principal's object id.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    public Task<IReadOnlyList<RoleAssignment>> ListForPrincipalAsync(ArmResourceId scope, string principalId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(principalId);
        if (!Guid.TryParse(principalId, out _))
        {
            throw new ArgumentException($"'{principalId}' is not a principal object id (a GUID).", nameof(principalId));
        }
        return ListAsync(scope, $"principalId eq '{principalId}'", cancellationToken);
    }

    /// <summary>Lists the assignments at a scope and above it (<c>$filter=atScope()</c>), following <c>nextLink</c>.</summary>
    /// <param name="scope">The scope.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    public Task<IReadOnlyList<RoleAssignment>> ListAtScopeAsync(ArmResourceId scope, CancellationToken cancellationToken) =>
        ListAsync(scope, "atScope()", cancellationToken);

    private async Task<IReadOnlyList<RoleAssignment>> ListAsync(ArmResourceId scope, string filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var results = new List<RoleAssignment>();
        var response = await _pipeline.SendAsync(RequestMethod.Get, scope + Provider, ArmApiVersions.RoleAssignments, null, [200], cancellationToken, ("$filter", filter));
        while (true)
        {
            results.AddRange(JsonRead.Objects(response.Body?["value"]).Select(Read));
            var next = JsonRead.String(response.Body?["nextLink"]);
            if (string.IsNullOrEmpty(next))
            {
                return results;
            }
            response = await _pipeline.GetUrlAsync(next, [200], cancellationToken);
        }
    }

    internal static RoleAssignment Read(JsonNode? body)
    {
        var id = JsonRead.String(body?["id"]) ?? throw new ArmException(0, new ArmError("InvalidResponse", "The role assignment response has no 'id'.", null, []), null, null);
        var properties = body?["properties"];
        var name = JsonRead.String(body?["name"]) ?? id.Split('/')[^1];
        var providerAt = id.IndexOf(Provider, StringComparison.OrdinalIgnoreCase);
        var scope = JsonRead.String(properties?["scope"]) ?? (providerAt > 0 ? id[..providerAt] : string.Empty);
        return new RoleAssignment(
            id,
            Guid.TryParse(name, out var guid) ? guid : Guid.Empty,
            scope,
            JsonRead.String(properties?["roleDefinitionId"]) ?? string.Empty,
            JsonRead.String(properties?["principalId"]) ?? string.Empty,
            JsonRead.String(properties?["principalType"]));
    }
}
