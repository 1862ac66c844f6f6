using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Provisioning.Host.Http;

namespace Provisioning.Host.Configuration;

/// <summary>
/// Supplies keys when settings name none: generated once, kept in the data folder (<c>keys.json</c>) so they survive
/// restarts, and printed at start — the Functions host does the same with its host keys. Keys rotate without a
/// restart: <see cref="FunctionKeyFilter"/> reads them per request from an <see cref="IOptionsMonitor{TOptions}"/>,
/// which is recomputed when the <c>Provisioning:Keys</c> settings reload or <c>keys.json</c> changes.
/// </summary>
internal static class FunctionKeyStore
{
    public const string FileName = "keys.json";

    /// <summary>Registers the keys: the <c>Provisioning:Keys</c> settings, else <c>keys.json</c> in <paramref name="dataDirectory"/>, both watched.</summary>
    public static IServiceCollection AddFunctionKeys(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        services.Configure<FunctionKeyOptions>(configuration.GetSection(FunctionKeyOptions.SectionName));
        services.PostConfigure<FunctionKeyOptions>(keys => EnsureKeys(keys, dataDirectory));
        Directory.CreateDirectory(dataDirectory);
        services.AddSingleton(new KeysFileWatcher(dataDirectory));
        services.AddSingleton<IOptionsChangeTokenSource<FunctionKeyOptions>>(provider => provider.GetRequiredService<KeysFileWatcher>());
        return services;
    }

    public static void EnsureKeys(FunctionKeyOptions keys, string dataDirectory)
    {
        if (!string.IsNullOrEmpty(keys.FunctionKey) && !string.IsNullOrEmpty(keys.SystemKey))
        {
            return;
        }

        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        var stored = Read(path);
        var complete = stored is not null && !string.IsNullOrEmpty(stored.FunctionKey) && !string.IsNullOrEmpty(stored.SystemKey);
        if (!complete)
        {
            stored = new StoredKeys(NonEmpty(stored?.FunctionKey) ?? NewKey(), NonEmpty(stored?.SystemKey) ?? NewKey());

            // Written only when it changes: the file is watched, and a write would recompute the keys again.
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(stored, JsonSerializerOptions.Web));
            File.Move(temporary, path, overwrite: true);
        }

        if (string.IsNullOrEmpty(keys.FunctionKey))
        {
            keys.FunctionKey = stored!.FunctionKey;
        }

        if (string.IsNullOrEmpty(keys.SystemKey))
        {
            keys.SystemKey = stored!.SystemKey;
        }
    }

    private static StoredKeys? Read(string path)
    {
        // An editor may be halfway through writing the file when the watcher fires: try again briefly.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return File.Exists(path) ? JsonSerializer.Deserialize<StoredKeys>(File.ReadAllText(path), JsonSerializerOptions.Web) : null;
            }
            catch (Exception exception) when (attempt < 10 && exception is JsonException or IOException)
            {
                Thread.Sleep(50);
            }
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace('+', '-').Replace('/', '_');

    private sealed record StoredKeys(string FunctionKey, string SystemKey);

    /// <summary>Signals a change of <c>keys.json</c>, so the keys are read again.</summary>
    internal sealed class KeysFileWatcher(string dataDirectory) : IOptionsChangeTokenSource<FunctionKeyOptions>, IDisposable
    {
        private readonly PhysicalFileProvider _files = new(dataDirectory);

        public string? Name => Options.DefaultName;

        public IChangeToken GetChangeToken() => _files.Watch(FileName);

        public void Dispose() => _files.Dispose();
    }
}
