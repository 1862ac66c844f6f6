using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.Arm;
using Provisioning.ArmEmulator.EventGrid;
using Provisioning.ArmEmulator.State;

namespace Provisioning.ArmEmulator.ContainerRegistry;

/// <summary>Pushes and deletes images in emulated registries and raises <c>ImagePushed</c> / <c>ImageDeleted</c>.</summary>
internal sealed class RegistryDataPlane(EmulatorContext context)
{
    private const string MediaType = "application/vnd.docker.distribution.manifest.v2+json";

    /// <summary>Adds (or moves) a tag; returns its digest, or null when the registry does not exist. Returns once the push is saved.</summary>
    public string? Push(string registryName, string repository, string tag, string? digest = null) =>
        context.Change(() => PushLocked(registryName, repository, tag, digest));

    /// <summary>The push itself, inside a unit of work that holds the store lock (a task run's push).</summary>
    public string? PushLocked(string registryName, string repository, string tag, string? digest = null)
    {
        var registry = FindByName(registryName);
        if (registry?.State is not RegistryState state)
        {
            return null;
        }

        digest ??= "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{registryName}/{repository}:{tag}@{context.Time.GetUtcNow().Ticks}"))).ToLowerInvariant();
        if (!state.Repositories.TryGetValue(repository, out var tags))
        {
            tags = new Dictionary<string, string>(StringComparer.Ordinal);
            state.Repositories[repository] = tags;
        }

        tags[tag] = digest;
        registry.Touch();
        var target = new JsonObject { ["mediaType"] = MediaType, ["size"] = 524, ["digest"] = digest, ["length"] = 524, ["repository"] = repository, ["tag"] = tag };
        Raise(registry, "Microsoft.ContainerRegistry.ImagePushed", $"{repository}:{tag}", "push", "PUT", target);
        return digest;
    }

    /// <summary>Deletes a tag (or the whole repository when <paramref name="tag"/> is null); false when absent.</summary>
    public bool Delete(string registryName, string repository, string? tag) => context.Change(() =>
    {
        var registry = FindByName(registryName);
        if (registry?.State is not RegistryState state || !state.Repositories.TryGetValue(repository, out var tags))
        {
            return false;
        }

        IEnumerable<KeyValuePair<string, string>> removed = tag is null ? tags.ToList() : tags.Where(t => t.Key == tag).ToList();
        var any = false;
        foreach (var (t, digest) in removed)
        {
            any = true;
            tags.Remove(t);
            var target = new JsonObject { ["mediaType"] = MediaType, ["digest"] = digest, ["repository"] = repository };
            Raise(registry, "Microsoft.ContainerRegistry.ImageDeleted", repository, "delete", "DELETE", target);
        }

        if (tags.Count == 0)
        {
            state.Repositories.Remove(repository);
        }

        registry.Touch();
        return any;
    });

    /// <summary>Repositories and tags of a registry, or null when it does not exist.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? List(string registryName)
    {
        lock (context.Store.Sync)
        {
            return FindByName(registryName)?.State is RegistryState state
                ? state.Repositories.ToDictionary(r => r.Key, r => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(r.Value), StringComparer.OrdinalIgnoreCase)
                : null;
        }
    }

    private StoredResource? FindByName(string name) =>
        context.Store.OfType(RegistryHandler.Type).FirstOrDefault(r => r.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    private void Raise(StoredResource registry, string type, string subject, string action, string method, JsonObject target)
    {
        var now = context.Time.GetUtcNow();
        var loginServer = registry.Document["properties"]!["loginServer"]!.GetValue<string>();
        var data = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["timestamp"] = ArmJson.Time(now),
            ["action"] = action,
            ["target"] = target,
            ["request"] = new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["host"] = loginServer, ["method"] = method, ["useragent"] = "provisioning-arm-emulator" },
            ["actor"] = new JsonObject(),
            ["source"] = new JsonObject(),
        };
        context.Events.Publish(new EmulatorEvent(Guid.NewGuid().ToString(), type, subject, registry.Id, now, data));
    }
}
