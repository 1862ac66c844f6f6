using System.Net;
using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.Arm;

namespace Provisioning.ArmEmulator.Authorization;

/// <summary><c>Microsoft.Authorization/roleDefinitions</c>: the built-in roles, readable at any scope.</summary>
internal sealed class RoleDefinitionHandler(EmulatorContext context) : ResourceTypeHandler(context)
{
    public const string Type = "Microsoft.Authorization/roleDefinitions";

    public override string ResourceType => Type;


    public override bool IsLocationBased => false;

    public override ArmResponse Get(ArmRequest request)
    {
        var role = BuiltInRoles.Find(request.Path.Name)
            ?? throw new ArmException(HttpStatusCode.NotFound, "RoleDefinitionDoesNotExist", $"The specified role definition with ID '{request.Path.Name}' does not exist.");
        return ArmResponse.Ok(Render(role, request.Path.Scope));
    }

    public override ArmResponse List(ArmRequest request, string scope)
    {
        var filter = request.Query["$filter"].ToString();
        IEnumerable<BuiltInRole> roles = BuiltInRoles.All;
        var roleName = ODataFilter.EqualsValue(filter, "roleName");
        if (roleName is not null)
        {
            roles = roles.Where(r => r.RoleName.Equals(roleName, StringComparison.OrdinalIgnoreCase));
        }

        var type = ODataFilter.EqualsValue(filter, "type");
        if (type is not null && !type.Equals("BuiltInRole", StringComparison.OrdinalIgnoreCase))
        {
            roles = [];
        }

        return Page(request, roles.Select(r => Render(r, scope)).ToList());
    }

    /// <summary>
    /// The ARM representation of a built-in role read at a scope. Its id does not depend on that scope: it is the
    /// subscription-level id (<c>/subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/{guid}</c>, as in
    /// the REST spec's <c>GetRoleDefinitionByName</c> example), the same id role assignments carry in
    /// <c>roleDefinitionId</c>, so a client can match the two; outside a subscription it is the tenant-level id.
    /// </summary>
    public static JsonObject Render(BuiltInRole role, string scope) => new()
    {
        ["id"] = $"{SubscriptionPrefix(scope)}/providers/Microsoft.Authorization/roleDefinitions/{role.Id}",
        ["name"] = role.Id,
        ["type"] = Type,
        ["properties"] = new JsonObject
        {
            ["roleName"] = role.RoleName,
            ["type"] = "BuiltInRole",
            ["description"] = role.Description,
            ["assignableScopes"] = new JsonArray("/"),
            ["permissions"] = new JsonArray(new JsonObject
            {
                ["actions"] = new JsonArray(role.Actions.Select(a => (JsonNode)a).ToArray()),
                ["notActions"] = new JsonArray(),
                ["dataActions"] = new JsonArray(role.DataActions.Select(a => (JsonNode)a).ToArray()),
                ["notDataActions"] = new JsonArray(),
            }),
            ["createdOn"] = "2018-01-01T00:00:00.0000000Z",
            ["updatedOn"] = "2024-01-01T00:00:00.0000000Z",
        },
    };

    private static string SubscriptionPrefix(string scope) =>
        ArmPath.Parse(scope).SubscriptionId is { } subscription ? $"/subscriptions/{subscription}" : string.Empty;
}
