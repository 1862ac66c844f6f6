using System.Text.Json.Nodes;
using Provisioning.Arm.Resources;

namespace Provisioning.Templates.Expressions;

/// <summary>What expressions read at bind time: the parameter values and the target resource group.</summary>
/// <param name="Parameters">The effective parameter values (supplied or defaults).</param>
/// <param name="Target">The resource group the template is deployed into.</param>
internal sealed record TemplateExpressionContext(IReadOnlyDictionary<string, JsonNode?> Parameters, Binding.TemplateTarget Target)
{
    public JsonNode? Parameter(string name) =>
        Parameters.TryGetValue(name, out var value)
            ? value?.DeepClone()
            : throw new InvalidOperationException($"The parameter '{name}' has no value.");

    public string ResourceId(string resourceType, IReadOnlyList<string> names)
    {
        var types = resourceType.Split('/');
        if (types.Length != names.Count + 1)
        {
            throw new InvalidOperationException($"resourceId('{resourceType}', …) needs {types.Length - 1} name(s), not {names.Count}.");
        }
        var id = ArmResourceId.ForResource(Target.SubscriptionId, Target.ResourceGroupName, types[0] + "/" + types[1], names[0]);
        for (var i = 1; i < names.Count; i++)
        {
            id = id.Child(types[i + 1], names[i]);
        }
        return id.ToString();
    }

    /// <summary>
    /// A property of <c>resourceGroup()</c> or <c>subscription()</c> read directly; <c>null</c> for any other function,
    /// or a property the object lacks (the caller then builds the object and names the problem).
    /// </summary>
    public string? Property(string function, string property)
    {
        if (function.Equals("resourceGroup", StringComparison.OrdinalIgnoreCase))
        {
            return property switch
            {
                _ when property.Equals("name", StringComparison.OrdinalIgnoreCase) => Target.ResourceGroupName,
                _ when property.Equals("location", StringComparison.OrdinalIgnoreCase) => Target.Location,
                _ => null,
            };
        }

        return function.Equals("subscription", StringComparison.OrdinalIgnoreCase) && property.Equals("subscriptionId", StringComparison.OrdinalIgnoreCase)
            ? Target.SubscriptionId
            : null;
    }

    public JsonObject ResourceGroup()
    {
        var group = new JsonObject
        {
            ["name"] = Target.ResourceGroupName,
            ["id"] = ArmResourceId.ForResourceGroup(Target.SubscriptionId, Target.ResourceGroupName).ToString(),
        };
        if (Target.Location is not null)
        {
            group["location"] = Target.Location;
        }
        return group;
    }

    public JsonObject Subscription() => new()
    {
        ["subscriptionId"] = Target.SubscriptionId,
        ["id"] = ArmResourceId.ForSubscription(Target.SubscriptionId).ToString(),
    };
}
