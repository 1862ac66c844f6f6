using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.Arm;
using Provisioning.ArmEmulator.State;

namespace Provisioning.ArmEmulator.Authorization;

/// <summary>
/// <c>Microsoft.Authorization/roleAssignments</c> at any scope. The name must be a GUID; a principal not yet
/// replicated to the directory is refused with <c>PrincipalNotFound</c> unless <c>principalType</c> is given;
/// the same scope + role + principal under another name is <c>RoleAssignmentExists</c>; reusing a name for a
/// different principal, role or scope is <c>RoleAssignmentUpdateNotPermitted</c>.
/// </summary>
internal sealed class RoleAssignmentHandler(EmulatorContext context) : ResourceTypeHandler(context)
{
    public const string Type = "Microsoft.Authorization/roleAssignments";

    public override string ResourceType => Type;


    public override bool IsLocationBased => false;

    public override ArmResponse Put(ArmRequest request)
    {
        var name = request.Path.Name;
        if (!Guid.TryParse(name, out _))
        {
            throw new ArmException(HttpStatusCode.BadRequest, "InvalidRoleAssignmentId", $"The role assignment ID '{name}' is not valid. The role assignment ID must be a GUID.");
        }

        var body = request.RequireObjectBody();
        ValidateBody(request);
        var scope = request.Path.Scope;
        RequireScope(scope);
        var properties = (JsonObject)body["properties"]!;
        var roleDefinitionId = properties["roleDefinitionId"]!.GetValue<string>();
        var principalId = properties["principalId"]!.GetValue<string>();
        var principalType = properties["principalType"]?.GetValue<string>();
        var roleGuid = roleDefinitionId.Split('/')[^1];
        var role = BuiltInRoles.Find(roleGuid)
            ?? throw new ArmException(HttpStatusCode.BadRequest, "RoleDefinitionDoesNotExist", $"The specified role definition with ID '{roleGuid}' does not exist.");

        var existing = Find(request);
        if (existing is not null)
        {
            var p = existing.Document["properties"]!;
            var samePrincipal = p["principalId"]!.GetValue<string>().Equals(principalId, StringComparison.OrdinalIgnoreCase);
            var sameRole = p["roleDefinitionId"]!.GetValue<string>().Split('/')[^1].Equals(role.Id, StringComparison.OrdinalIgnoreCase);
            if (!samePrincipal || !sameRole)
            {
                throw new ArmException(HttpStatusCode.Conflict, "RoleAssignmentUpdateNotPermitted", "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.");
            }

            return ArmResponse.Ok(Render(existing));
        }

        var duplicate = Context.Store.OfType(Type).FirstOrDefault(r =>
            ScopeOf(r).Equals(scope, StringComparison.OrdinalIgnoreCase)
            && r.Document["properties"]!["principalId"]!.GetValue<string>().Equals(principalId, StringComparison.OrdinalIgnoreCase)
            && r.Document["properties"]!["roleDefinitionId"]!.GetValue<string>().Split('/')[^1].Equals(role.Id, StringComparison.OrdinalIgnoreCase));
        if (duplicate is not null)
        {
            throw new ArmException(HttpStatusCode.Conflict, "RoleAssignmentExists", "The role assignment already exists.");
        }

        if (string.IsNullOrEmpty(principalType) && !Context.Directory.IsReplicated(principalId, Context.Faults.Current.PrincipalReplicationDelay))
        {
            throw new ArmException(
                HttpStatusCode.BadRequest,
                "PrincipalNotFound",
                $"Principal {principalId.Replace("-", string.Empty, StringComparison.Ordinal)} does not exist in the directory {Context.TenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype");
        }

        ThrowIfForcedToFail(request);
        var now = ArmJson.Time(Context.Time.GetUtcNow());
        var subscriptionScope = request.Path.SubscriptionId is { } sub ? $"/subscriptions/{sub}" : string.Empty;
        var doc = new JsonObject
        {
            ["id"] = request.Path.ItemId,
            ["name"] = name,
            ["type"] = Type,
            ["properties"] = new JsonObject
            {
                ["roleDefinitionId"] = $"{subscriptionScope}/providers/Microsoft.Authorization/roleDefinitions/{role.Id}",
                ["principalId"] = principalId,
                ["principalType"] = principalType ?? Context.Directory.Find(principalId)?.PrincipalType ?? "User",
                ["scope"] = scope,
                ["condition"] = properties["condition"]?.DeepClone(),
                ["conditionVersion"] = properties["conditionVersion"]?.DeepClone(),
                ["description"] = properties["description"]?.DeepClone(),
                ["createdOn"] = now,
                ["updatedOn"] = now,
                ["createdBy"] = "emulator-caller",
                ["updatedBy"] = "emulator-caller",
                ["delegatedManagedIdentityResourceId"] = null,
            },
        };
        var (resource, _) = Save(request, doc);
        resource.Document.Remove("systemData");
        RaiseResourceEvent("ResourceWriteSuccess", resource.Id, Type + "/write", request.CorrelationId);
        return ArmResponse.Created(Render(resource));
    }

    public override ArmResponse Get(ArmRequest request)
    {
        var resource = Find(request)
            ?? throw new ArmException(HttpStatusCode.NotFound, "RoleAssignmentNotFound", $"The role assignment '{request.Path.Name}' is not found.");
        return ArmResponse.Ok(Render(resource));
    }

    public override ArmResponse Delete(ArmRequest request)
    {
        var resource = Find(request);
        if (resource is null)
        {
            return ArmResponse.NoContent();
        }

        Context.Store.Remove(resource.Id);
        RaiseResourceEvent("ResourceDeleteSuccess", resource.Id, Type + "/delete", request.CorrelationId);
        return ArmResponse.Ok(Render(resource));
    }

    /// <summary>
    /// Lists assignments relevant to the scope: without filter at, above and below it; with <c>atScope()</c>
    /// at or above; <c>principalId eq '…'</c> / <c>assignedTo('…')</c> restrict to a principal.
    /// </summary>
    public override ArmResponse List(ArmRequest request, string scope)
    {
        var filter = request.Query["$filter"].ToString();
        var atScope = ODataFilter.HasAtScope(filter);
        var principal = ODataFilter.EqualsValue(filter, "principalId") ?? ODataFilter.FunctionArgument(filter, "assignedTo");
        var items = Context.Store.OfType(Type)
            .Where(r =>
            {
                var s = ScopeOf(r);
                var above = ResourceStore.IsAtOrBelow(scope, s);
                var below = ResourceStore.IsAtOrBelow(s, scope);
                return atScope ? above : above || below;
            })
            .Where(r => principal is null || r.Document["properties"]!["principalId"]!.GetValue<string>().Equals(principal, StringComparison.OrdinalIgnoreCase))
            .ToList();
        return Page(request, items, Render);
    }

    /// <summary>The scope of a stored assignment.</summary>
    public static string ScopeOf(StoredResource assignment) => assignment.Document["properties"]!["scope"]!.GetValue<string>();

    private void RequireScope(string scope)
    {
        if (scope.Length == 0)
        {
            return;
        }

        var path = ArmPath.Parse(scope);
        if (path.SubscriptionId is not null && !path.SubscriptionId.Equals(Context.SubscriptionId, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArmException(HttpStatusCode.NotFound, "SubscriptionNotFound", $"The subscription '{path.SubscriptionId}' could not be found.");
        }

        if (path.Kind == ArmPathKind.ResourceGroups || scope.Equals("/subscriptions/" + path.SubscriptionId, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        if (path.ResourceGroup is { } rg && Context.Store.Find($"/subscriptions/{path.SubscriptionId}/resourceGroups/{rg}") is null)
        {
            throw ResourceGroupNotFound(rg);
        }

        if (Context.Store.Find(scope) is null)
        {
            throw new ArmException(HttpStatusCode.NotFound, "ResourceNotFound", $"The Resource '{scope}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");
        }
    }
}
