namespace Provisioning.Arm.Resources;

/// <summary>One type/name pair of a resource id after the provider namespace.</summary>
/// <param name="Type">The type segment, e.g. <c>registries</c>.</param>
/// <param name="Name">The name segment.</param>
public sealed record ArmResourceIdSegment(string Type, string Name);
