using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Provisioning.ArmEmulator.Hosting;

/// <summary>
/// What the emulator keeps in its data folder for clients in other processes: the development token
/// (<c>arm-emulator.token</c>, created once and kept, so a client configured with it keeps working across restarts) and,
/// when the folder is the emulator's own (state saved there), <c>arm-emulator.json</c> with its address, subscription,
/// tenant and the paths of the certificate and token files.
/// </summary>
internal static class EmulatorFiles
{
    public const string TokenFile = "arm-emulator.token";
    public const string EndpointFile = "arm-emulator.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The development token kept in the folder, created the first time.</summary>
    public static string LoadOrCreateToken(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, TokenFile);
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.StartsWith("arm-emulator.", StringComparison.Ordinal))
            {
                return existing;
            }
        }

        var token = "arm-emulator." + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        WriteAtomically(path, token + "\n", secret: true);
        return token;
    }

    /// <summary>The port the emulator listened on last time (from the endpoint file) when it is free now; otherwise 0.</summary>
    public static int PreviousPortIfFree(string directory)
    {
        var path = Path.Combine(directory, EndpointFile);
        try
        {
            if (!File.Exists(path) || JsonNode.Parse(File.ReadAllText(path))?["url"]?.GetValue<string>() is not { } url
                || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                return 0;
            }

            using var probe = new TcpListener(IPAddress.Loopback, uri.Port);
            probe.Start();
            probe.Stop();
            return uri.Port;
        }
        catch (Exception ex) when (ex is IOException or JsonException or SocketException or InvalidOperationException)
        {
            return 0;
        }
    }

    /// <summary>Writes <c>arm-emulator.json</c>: what a client in another process needs.</summary>
    public static void WriteEndpoint(string directory, Uri baseUri, string subscriptionId, string tenantId, string certificatePath, string? stateDirectory)
    {
        var endpoint = new JsonObject
        {
            ["url"] = baseUri.ToString(),
            ["subscriptionId"] = subscriptionId,
            ["tenantId"] = tenantId,
            ["certificatePath"] = certificatePath,
            ["tokenPath"] = Path.Combine(directory, TokenFile),
            ["tokenEndpoint"] = new Uri(baseUri, "_emulator/token").ToString(),
            ["stateDirectory"] = stateDirectory,
            ["processId"] = Environment.ProcessId,
            ["startedAt"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        };
        WriteAtomically(Path.Combine(directory, EndpointFile), endpoint.ToJsonString(Indented) + "\n", secret: false);
    }

    /// <summary>Writes a file by writing a temporary one and renaming it, so a reader never sees half of it.</summary>
    public static void WriteAtomically(string path, string text, bool secret)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, text);
        if (secret && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
