namespace Provisioning.ArmEmulator.Validation;

/// <summary>One way a request body departs from the resource type's schema.</summary>
/// <param name="Path">JSON path of the property, e.g. <c>properties.containers[0].properties.image</c>.</param>
/// <param name="Message">What is wrong.</param>
internal sealed record SchemaViolation(string Path, string Message);
