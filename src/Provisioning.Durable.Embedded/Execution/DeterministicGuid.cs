using System.Security.Cryptography;
using System.Text;

namespace Provisioning.Durable.Embedded.Execution;

/// <summary>
/// Name-based UUIDs (RFC 9562 version 5, SHA-1): the same name always gives the same GUID, so an orchestration
/// that derives its GUIDs from its instance id, its replay-safe time and a counter gets the same ones on every replay.
/// </summary>
internal static class DeterministicGuid
{
    /// <summary>The namespace the Durable Task SDK names orchestration GUIDs in, so both give the same GUIDs.</summary>
    private static readonly Guid OrchestrationNamespace = new("9e952958-5e33-4daf-827f-2fa12937b875");

    public static Guid Create(string name) => Create(OrchestrationNamespace, name);

    public static Guid Create(Guid namespaceId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var buffer = new byte[16 + nameBytes.Length];
        namespaceId.TryWriteBytes(buffer, bigEndian: true, out _);
        nameBytes.CopyTo(buffer, 16);

#pragma warning disable CA5350 // RFC 9562 version 5 is defined over SHA-1; this is naming, not security.
        var hash = SHA1.HashData(buffer);
#pragma warning restore CA5350
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
