using System.Text.Json.Serialization;

namespace Provisioning.Drift;

/// <summary>One difference between a workload's desired state (its latest successful run) and what ARM lists.</summary>
/// <param name="WorkloadId">The workload the difference belongs to.</param>
/// <param name="Kind">What drifted.</param>
/// <param name="ResourceId">The resource that drifted (the identity, the role assignment, the workload).</param>
/// <param name="Property">The property that differs (e.g. <c>properties.containers[web].properties.image</c>); null when the whole resource is concerned.</param>
/// <param name="Expected">What the run left.</param>
/// <param name="Actual">What is there now.</param>
public sealed record DriftFinding(
    string WorkloadId,
    [property: JsonConverter(typeof(JsonStringEnumConverter<DriftKind>))] DriftKind Kind,
    string ResourceId,
    string? Property,
    string Expected,
    string Actual);
