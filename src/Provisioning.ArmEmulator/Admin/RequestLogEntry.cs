namespace Provisioning.ArmEmulator.Admin;

/// <summary>One ARM request the emulator answered.</summary>
/// <param name="Time">When it arrived.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path (no query).</param>
/// <param name="ApiVersion">The <c>api-version</c> query value, if any.</param>
/// <param name="Status">Response status code.</param>
/// <param name="ErrorCode">ARM error code of the response, if it was an error.</param>
public sealed record RequestLogEntry(DateTimeOffset Time, string Method, string Path, string? ApiVersion, int Status, string? ErrorCode);
