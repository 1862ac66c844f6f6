using System.Text.Json.Nodes;

namespace Provisioning.Drift;

/// <summary>What one scan's lists returned, as the checks read it.</summary>
/// <param name="ById">Every listed resource by its id (case-insensitive).</param>
/// <param name="Assignments">Every listed role assignment's key (<see cref="GrantDrift.AssignmentKey"/>).</param>
internal sealed record ListedResources(IReadOnlyDictionary<string, JsonObject> ById, IReadOnlySet<string> Assignments)
{
    /// <summary>Whether a role assignment of <paramref name="role"/> to <paramref name="principal"/> at <paramref name="scope"/> was listed, whatever its name.</summary>
    public bool HasAssignment(string scope, string principal, string role) => Assignments.Contains(GrantDrift.AssignmentKey(scope, principal, role));
}
