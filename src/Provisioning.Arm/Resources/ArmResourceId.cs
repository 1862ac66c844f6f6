using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json.Serialization;

namespace Provisioning.Arm.Resources;

/// <summary>
/// A parsed, validated Azure Resource Manager id: a subscription, a resource group, or a resource
/// (<c>/subscriptions/{sub}/resourceGroups/{rg}/providers/{namespace}/{type}/{name}[/{childType}/{childName}]…</c>).
/// Comparisons ignore case, as ARM does.
/// </summary>
[JsonConverter(typeof(ArmResourceIdJsonConverter))]
public sealed record ArmResourceId
{
    private ArmResourceId(string subscriptionId, string? resourceGroupName, string? providerNamespace, IReadOnlyList<ArmResourceIdSegment> segments)
    {
        SubscriptionId = subscriptionId;
        ResourceGroupName = resourceGroupName;
        ProviderNamespace = providerNamespace;
        Segments = segments;
    }

    /// <summary>The subscription id (a GUID).</summary>
    public string SubscriptionId { get; }

    /// <summary>The resource group name, or null for a subscription-level id.</summary>
    public string? ResourceGroupName { get; }

    /// <summary>The resource provider namespace (e.g. <c>Microsoft.ContainerRegistry</c>), or null for a subscription or resource group id.</summary>
    public string? ProviderNamespace { get; }

    /// <summary>The type/name pairs after the provider namespace: the resource, then its children.</summary>
    public IReadOnlyList<ArmResourceIdSegment> Segments { get; }

    /// <summary>What the id designates.</summary>
    public ArmResourceIdKind Kind => ProviderNamespace is not null
        ? ArmResourceIdKind.Resource
        : ResourceGroupName is not null ? ArmResourceIdKind.ResourceGroup : ArmResourceIdKind.Subscription;

    /// <summary>The full resource type, e.g. <c>Microsoft.ContainerRegistry/registries</c> or
    /// <c>Microsoft.ContainerRegistry/registries/tasks</c>; <c>Microsoft.Resources/resourceGroups</c> and
    /// <c>Microsoft.Resources/subscriptions</c> for the two scopes.</summary>
    public string ResourceType => Kind switch
    {
        ArmResourceIdKind.Subscription => "Microsoft.Resources/subscriptions",
        ArmResourceIdKind.ResourceGroup => "Microsoft.Resources/resourceGroups",
        _ => ProviderNamespace + "/" + string.Join('/', Segments.Select(s => s.Type)),
    };

    /// <summary>The name of the innermost resource (the resource group or subscription id for those scopes).</summary>
    public string Name => Kind switch
    {
        ArmResourceIdKind.Subscription => SubscriptionId,
        ArmResourceIdKind.ResourceGroup => ResourceGroupName!,
        _ => Segments[^1].Name,
    };

    /// <summary>The parent: the resource a child belongs to, the resource group of a top-level resource,
    /// the subscription of a resource group; null for a subscription.</summary>
    public ArmResourceId? Parent => Kind switch
    {
        ArmResourceIdKind.Subscription => null,
        ArmResourceIdKind.ResourceGroup => new ArmResourceId(SubscriptionId, null, null, []),
        _ when ResourceGroupName is null && Segments.Count == 1 => new ArmResourceId(SubscriptionId, null, null, []),
        _ when Segments.Count == 1 => new ArmResourceId(SubscriptionId, ResourceGroupName, null, []),
        _ => new ArmResourceId(SubscriptionId, ResourceGroupName, ProviderNamespace, Segments.Take(Segments.Count - 1).ToArray()),
    };

    /// <summary>The id of a subscription.</summary>
    /// <param name="subscriptionId">The subscription id (a GUID).</param>
    public static ArmResourceId ForSubscription(string subscriptionId) =>
        Parse($"/subscriptions/{subscriptionId}");

    /// <summary>The id of a resource group.</summary>
    /// <param name="subscriptionId">The subscription id (a GUID).</param>
    /// <param name="resourceGroupName">The resource group name.</param>
    public static ArmResourceId ForResourceGroup(string subscriptionId, string resourceGroupName) =>
        Parse($"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}");

    /// <summary>The id of a top-level resource in a resource group.</summary>
    /// <param name="subscriptionId">The subscription id (a GUID).</param>
    /// <param name="resourceGroupName">The resource group name.</param>
    /// <param name="resourceType">The full type, e.g. <c>Microsoft.ManagedIdentity/userAssignedIdentities</c>.</param>
    /// <param name="name">The resource name.</param>
    public static ArmResourceId ForResource(string subscriptionId, string resourceGroupName, string resourceType, string name) =>
        Parse($"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/{resourceType}/{name}");

    /// <summary>The id of a child resource of this one, e.g. a registry's task.</summary>
    /// <param name="childType">The child type segment, e.g. <c>tasks</c>.</param>
    /// <param name="childName">The child name.</param>
    public ArmResourceId Child(string childType, string childName)
    {
        if (Kind != ArmResourceIdKind.Resource)
        {
            throw new InvalidOperationException($"'{this}' is a {Kind}; only a resource has child resources.");
        }
        return Parse($"{this}/{childType}/{childName}");
    }

    /// <summary>Parses an id, throwing <see cref="ArmResourceIdFormatException"/> with the problem when it is not one.</summary>
    /// <param name="value">The id text.</param>
    public static ArmResourceId Parse(string value)
    {
        if (!TryParse(value, out var id, out var problem))
        {
            throw new ArmResourceIdFormatException(value, problem);
        }
        return id;
    }

    /// <summary>Parses an id; on failure returns false and names the problem.</summary>
    /// <param name="value">The id text.</param>
    /// <param name="id">The parsed id.</param>
    /// <param name="problem">What is wrong with the text.</param>
    public static bool TryParse(string? value, [NotNullWhen(true)] out ArmResourceId? id, [NotNullWhen(false)] out string? problem)
    {
        id = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            problem = "a resource id is empty";
            return false;
        }
        if (!value.StartsWith('/'))
        {
            problem = "a resource id starts with '/subscriptions/'";
            return false;
        }
        if (value.Contains("//", StringComparison.Ordinal) || value.Length > 1 && value.EndsWith('/'))
        {
            problem = "a resource id has no empty segments (no '//' and no trailing '/')";
            return false;
        }
        if (value.Any(c => char.IsWhiteSpace(c) || c is '?' or '#'))
        {
            problem = "a resource id contains no whitespace, '?' or '#'";
            return false;
        }

        var parts = value[1..].Split('/');
        if (parts.Length < 2 || !parts[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase))
        {
            problem = "a resource id starts with '/subscriptions/{subscriptionId}'";
            return false;
        }
        if (!Guid.TryParseExact(parts[1], "D", out _))
        {
            problem = $"the subscription id '{parts[1]}' is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)";
            return false;
        }

        var index = 2;
        string? resourceGroup = null;
        if (index < parts.Length && parts[index].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase))
        {
            if (index + 1 >= parts.Length)
            {
                problem = "'resourceGroups' is followed by the resource group name";
                return false;
            }
            resourceGroup = parts[index + 1];
            index += 2;
        }

        if (index == parts.Length)
        {
            id = new ArmResourceId(parts[1], resourceGroup, null, []);
            problem = null;
            return true;
        }

        if (!parts[index].Equals("providers", StringComparison.OrdinalIgnoreCase))
        {
            problem = resourceGroup is null
                ? $"after the subscription comes 'resourceGroups/{{name}}' or 'providers/{{namespace}}', not '{parts[index]}'"
                : $"after the resource group comes 'providers/{{namespace}}', not '{parts[index]}'";
            return false;
        }
        if (index + 1 >= parts.Length)
        {
            problem = "'providers' is followed by a provider namespace such as 'Microsoft.ContainerRegistry'";
            return false;
        }
        var providerNamespace = parts[index + 1];
        if (!providerNamespace.Contains('.', StringComparison.Ordinal))
        {
            problem = $"'{providerNamespace}' is not a provider namespace (it has the form 'Company.Service', e.g. 'Microsoft.ContainerRegistry')";
            return false;
        }
        index += 2;
        var rest = parts.Length - index;
        if (rest == 0 || rest % 2 != 0)
        {
            problem = rest == 0
                ? $"'providers/{providerNamespace}' is followed by a resource type and name"
                : $"the resource type '{parts[^1]}' has no name after it (type and name come in pairs)";
            return false;
        }

        var segments = new List<ArmResourceIdSegment>(rest / 2);
        for (var i = index; i < parts.Length; i += 2)
        {
            segments.Add(new ArmResourceIdSegment(parts[i], parts[i + 1]));
        }
        id = new ArmResourceId(parts[1], resourceGroup, providerNamespace, segments);
        problem = null;
        return true;
    }

    /// <summary>Whether this id is the same as or lies under <paramref name="scope"/>.</summary>
    /// <param name="scope">The enclosing scope.</param>
    public bool IsWithin(ArmResourceId scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var mine = ToString();
        var theirs = scope.ToString();
        return mine.Equals(theirs, StringComparison.OrdinalIgnoreCase)
            || mine.StartsWith(theirs + "/", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The canonical text of the id.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("/subscriptions/").Append(SubscriptionId);
        if (ResourceGroupName is not null)
        {
            text.Append("/resourceGroups/").Append(ResourceGroupName);
        }
        if (ProviderNamespace is not null)
        {
            text.Append("/providers/").Append(ProviderNamespace);
            foreach (var segment in Segments)
            {
                text.Append('/').Append(segment.Type).Append('/').Append(segment.Name);
            }
        }
        return text.ToString();
    }

    /// <inheritdoc />
    public bool Equals(ArmResourceId? other) =>
        other is not null && string.Equals(ToString(), other.ToString(), StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(ToString());
}
