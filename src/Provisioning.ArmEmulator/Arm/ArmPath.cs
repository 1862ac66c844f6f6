namespace Provisioning.ArmEmulator.Arm;

/// <summary>What kind of ARM address a request path is.</summary>
internal enum ArmPathKind
{
    Unknown,
    ResourceGroups,
    ResourceGroup,
    SubscriptionOperationResult,
    ProviderItem,
    ProviderCollection,
    ProviderAction,
}

/// <summary>
/// A parsed ARM path: <c>{scope}/providers/{namespace}/{type}/{name}[/{childType}/{childName}][/{trailing}]</c>.
/// The trailing segment is either a child collection or an action; the type registry decides.
/// </summary>
internal sealed record ArmPath(
    ArmPathKind Kind,
    string? SubscriptionId,
    string? ResourceGroup,
    string Scope,
    string? Namespace,
    IReadOnlyList<string> Types,
    IReadOnlyList<string> Names,
    string? Trailing)
{
    /// <summary>Full type of the addressed item, e.g. <c>Microsoft.ContainerInstance/containerGroups</c>.</summary>
    public string ItemType => Namespace + "/" + string.Join('/', Types);

    /// <summary>Full type of the collection when the trailing segment names a child collection.</summary>
    public string CollectionType => Types.Count == 0 ? Namespace + "/" + Trailing : ItemType + "/" + Trailing;

    /// <summary>The name of the addressed item (the last name segment).</summary>
    public string Name => Names.Count > 0 ? Names[^1] : string.Empty;

    /// <summary>The canonical id of the addressed item.</summary>
    public string ItemId
    {
        get
        {
            var parts = new List<string> { Scope, "providers", Namespace! };
            for (var i = 0; i < Types.Count; i++)
            {
                parts.Add(Types[i]);
                parts.Add(Names[i]);
            }

            return string.Join('/', parts);
        }
    }

    /// <summary>Parses an ARM request path.</summary>
    public static ArmPath Parse(string path)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        string? subscription = null;
        string? group = null;
        if (segments.Length >= 2 && segments[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase))
        {
            subscription = segments[1];
            if (segments.Length >= 3 && segments[2].Equals("resourcegroups", StringComparison.OrdinalIgnoreCase))
            {
                if (segments.Length == 3)
                {
                    return new ArmPath(ArmPathKind.ResourceGroups, subscription, null, "/subscriptions/" + subscription, null, [], [], null);
                }

                group = segments[3];
                if (segments.Length == 4)
                {
                    return new ArmPath(ArmPathKind.ResourceGroup, subscription, group, CanonicalScope(segments, 4), null, [], [group], null);
                }
            }
            else if (segments.Length == 4 && segments[2].Equals("operationresults", StringComparison.OrdinalIgnoreCase))
            {
                return new ArmPath(ArmPathKind.SubscriptionOperationResult, subscription, null, "/subscriptions/" + subscription, null, [], [segments[3]], null);
            }
        }

        var providers = Array.FindLastIndex(segments, s => s.Equals("providers", StringComparison.OrdinalIgnoreCase));
        if (providers < 0 || providers + 2 > segments.Length)
        {
            return new ArmPath(ArmPathKind.Unknown, subscription, group, "/" + string.Join('/', segments), null, [], [], null);
        }

        var scope = CanonicalScope(segments, providers);
        var ns = segments[providers + 1];
        var rest = segments[(providers + 2)..];
        var types = new List<string>();
        var names = new List<string>();
        for (var i = 0; i + 1 < rest.Length; i += 2)
        {
            types.Add(rest[i]);
            names.Add(rest[i + 1]);
        }

        if (rest.Length % 2 == 0)
        {
            return new ArmPath(rest.Length == 0 ? ArmPathKind.Unknown : ArmPathKind.ProviderItem, subscription, group, scope, ns, types, names, null);
        }

        var kind = types.Count == 0 ? ArmPathKind.ProviderCollection : ArmPathKind.ProviderAction;
        return new ArmPath(kind, subscription, group, scope, ns, types, names, rest[^1]);
    }

    private static string CanonicalScope(string[] segments, int count)
    {
        if (count == 0)
        {
            return string.Empty;
        }

        var copy = segments[..count];
        if (copy.Length >= 1 && copy[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase))
        {
            copy[0] = "subscriptions";
        }

        if (copy.Length >= 3 && copy[2].Equals("resourcegroups", StringComparison.OrdinalIgnoreCase))
        {
            copy[2] = "resourceGroups";
        }

        return "/" + string.Join('/', copy);
    }
}
