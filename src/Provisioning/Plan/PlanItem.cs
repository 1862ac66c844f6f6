using System.Text.Json.Serialization;

namespace Provisioning.Plan;

/// <summary>One resource a run would touch and how.</summary>
/// <param name="Resource"><c>identity</c>, <c>grant</c> or <c>workload</c>.</param>
/// <param name="ResourceId">Its resource id (for a grant, the role assignment the run would make, or the one found).</param>
/// <param name="Action">What the run would do.</param>
/// <param name="Changes">For an update or a replace, each changed property: what is there and what the template wants.</param>
public sealed record PlanItem(
    string Resource,
    string ResourceId,
    [property: JsonConverter(typeof(JsonStringEnumConverter<PlanAction>))] PlanAction Action,
    IReadOnlyList<string> Changes);
