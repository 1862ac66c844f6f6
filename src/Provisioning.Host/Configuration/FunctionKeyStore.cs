using System.Security.Cryptography;
using System.Text.Json;
using Provisioning.Host.Http;

namespace Provisioning.Host.Configuration;

/// <summary>
/// Supplies keys when settings name none: generated once, kept in the data folder so they survive restarts, and
/// printed at start — the Functions host does the same with its host keys.
/// </summary>
internal static class FunctionKeyStore
{
    public static void EnsureKeys(FunctionKeyOptions keys, string dataDirectory)
    {
        if (!string.IsNullOrEmpty(keys.FunctionKey) && !string.IsNullOrEmpty(keys.SystemKey))
        {
            return;
        }

        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, "keys.json");
        var stored = File.Exists(path) ? JsonSerializer.Deserialize<StoredKeys>(File.ReadAllText(path), JsonSerializerOptions.Web) : null;
        stored ??= new StoredKeys(NewKey(), NewKey());
        File.WriteAllText(path, JsonSerializer.Serialize(stored, JsonSerializerOptions.Web));
        if (string.IsNullOrEmpty(keys.FunctionKey))
        {
            keys.FunctionKey = stored.FunctionKey;
        }

        if (string.IsNullOrEmpty(keys.SystemKey))
        {
            keys.SystemKey = stored.SystemKey;
        }
    }

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace('+', '-').Replace('/', '_');

    private sealed record StoredKeys(string FunctionKey, string SystemKey);
}
