using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Provisioning.Requests;

/// <summary>
/// The body of <c>POST /api/provisioning/{template}</c>:
/// <c>{"resourceGroup": "rg", "location"?: "westeurope", "subscriptionId"?: "…", "parameters"?: {…}}</c>.
/// </summary>
/// <param name="ResourceGroup">The resource group to provision into.</param>
/// <param name="Location">Its region; the configured default when absent.</param>
/// <param name="SubscriptionId">The subscription; the configured one when absent.</param>
/// <param name="Parameters">The template's parameter values.</param>
public sealed partial record StartProvisioningRequest(
    string ResourceGroup, string? Location, string? SubscriptionId, IReadOnlyDictionary<string, JsonNode?> Parameters)
{
    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal) { "resourceGroup", "location", "subscriptionId", "parameters" };

    /// <summary>Reads and checks the body; <paramref name="problem"/> names what is wrong and how to fix it.</summary>
    public static bool TryRead(JsonNode? body, out StartProvisioningRequest? request, out string? problem)
    {
        request = null;
        if (body is not JsonObject fields)
        {
            problem = "The body must be a JSON object such as {\"resourceGroup\": \"rg-web\", \"parameters\": {\"image\": \"myacr.azurecr.io/web:1.0\"}}.";
            return false;
        }

        if (fields.Select(field => field.Key).FirstOrDefault(key => !KnownFields.Contains(key)) is { } unknown)
        {
            problem = $"The body has an unknown field '{unknown}'; the fields are {string.Join(", ", KnownFields)}.";
            return false;
        }

        if (!TryString(fields, "resourceGroup", out var resourceGroup, out problem) || resourceGroup is null)
        {
            problem ??= "The body needs 'resourceGroup': the resource group to provision into.";
            return false;
        }

        if (!ResourceGroupName().IsMatch(resourceGroup) || resourceGroup.EndsWith('.'))
        {
            problem = $"'{resourceGroup}' is not a valid resource group name: use 1-90 letters, digits, '_', '-', '.', '(' or ')', not ending in '.'.";
            return false;
        }

        if (!TryString(fields, "location", out var location, out problem) || !TryString(fields, "subscriptionId", out var subscription, out problem))
        {
            return false;
        }

        if (subscription is not null && !Guid.TryParse(subscription, out _))
        {
            problem = $"'subscriptionId' must be a subscription GUID; it is '{subscription}'.";
            return false;
        }

        var parameters = new Dictionary<string, JsonNode?>(StringComparer.OrdinalIgnoreCase);
        if (fields["parameters"] is { } given)
        {
            if (given is not JsonObject values)
            {
                problem = "'parameters' must be a JSON object of parameter names and values.";
                return false;
            }

            foreach (var (name, value) in values)
            {
                parameters[name] = value?.DeepClone();
            }
        }

        request = new StartProvisioningRequest(resourceGroup, location, subscription, parameters);
        return true;
    }

    private static bool TryString(JsonObject fields, string name, out string? value, out string? problem)
    {
        value = null;
        problem = null;
        var node = fields[name];
        if (node is null)
        {
            return true;
        }

        if (node is JsonValue text && text.TryGetValue<string>(out var read) && !string.IsNullOrWhiteSpace(read))
        {
            value = read;
            return true;
        }

        problem = $"'{name}' must be a non-empty string.";
        return false;
    }

    [GeneratedRegex(@"^[\w\-\.\(\)]{1,90}$")]
    private static partial Regex ResourceGroupName();
}
