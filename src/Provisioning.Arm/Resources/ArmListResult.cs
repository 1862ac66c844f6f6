using System.Text.Json.Nodes;

namespace Provisioning.Arm.Resources;

/// <summary>Everything one ARM collection held, read page by page.</summary>
/// <param name="Items">The resources, as ARM rendered them.</param>
/// <param name="Pages">How many requests it took (one per page: the first and each <c>nextLink</c>).</param>
public sealed record ArmListResult(IReadOnlyList<JsonObject> Items, int Pages);
