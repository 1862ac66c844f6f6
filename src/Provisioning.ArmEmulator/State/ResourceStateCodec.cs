using System.Text.Json;
using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.ContainerInstance;
using Provisioning.ArmEmulator.ContainerRegistry;

namespace Provisioning.ArmEmulator.State;

/// <summary>Saves and restores the provider-specific <see cref="StoredResource.State"/> objects.</summary>
internal static class ResourceStateCodec
{
    public static void Write(Utf8JsonWriter json, object state)
    {
        json.WriteStartObject();
        switch (state)
        {
            case ContainerGroupState group:
                json.WriteString("kind", "containerGroup");
                json.WriteString("generation", group.Generation);
                json.WriteString("state", group.State);
                json.WriteStartObject("containers");
                foreach (var (name, run) in group.Containers)
                {
                    json.WriteStartObject(name);
                    json.WriteString("state", run.State);
                    json.WriteString("detailStatus", run.DetailStatus);
                    if (run.StartTime is { } start)
                    {
                        json.WriteString("startTime", start);
                    }

                    if (run.FinishTime is { } finish)
                    {
                        json.WriteString("finishTime", finish);
                    }

                    json.WriteNumber("restartCount", run.RestartCount);
                    json.WriteStartArray("events");
                    foreach (var e in run.Events)
                    {
                        e.WriteTo(json);
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndObject();
                break;
            case RegistryState registry:
                json.WriteString("kind", "registry");
                json.WriteStartArray("adminPasswords");
                foreach (var password in registry.AdminPasswords)
                {
                    json.WriteStringValue(password);
                }

                json.WriteEndArray();
                json.WriteStartObject("repositories");
                foreach (var (repository, tags) in registry.Repositories)
                {
                    json.WriteStartObject(repository);
                    foreach (var (tag, digest) in tags)
                    {
                        json.WriteString(tag, digest);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndObject();
                break;
            case Dictionary<string, string> secrets:
                json.WriteString("kind", "secrets");
                json.WriteStartObject("values");
                foreach (var (name, value) in secrets)
                {
                    json.WriteString(name, value);
                }

                json.WriteEndObject();
                break;
            default:
                throw new InvalidOperationException($"The resource state {state.GetType().Name} cannot be saved.");
        }

        json.WriteEndObject();
    }

    public static object? Read(JsonObject? value)
    {
        switch ((string?)value?["kind"])
        {
            case null:
                return null;
            case "containerGroup":
                var group = new ContainerGroupState { Generation = (string)value!["generation"]!, State = (string)value["state"]! };
                foreach (var (name, node) in (JsonObject)value["containers"]!)
                {
                    var run = new ContainerRunState
                    {
                        State = (string)node!["state"]!,
                        DetailStatus = (string?)node["detailStatus"] ?? string.Empty,
                        StartTime = (DateTimeOffset?)node["startTime"],
                        FinishTime = (DateTimeOffset?)node["finishTime"],
                        RestartCount = (int?)node["restartCount"] ?? 0,
                    };
                    run.Events.AddRange(((JsonArray?)node["events"] ?? []).Select(e => (JsonObject)e!.DeepClone()));
                    group.Containers[name] = run;
                }

                return group;
            case "registry":
                var registry = new RegistryState { AdminPasswords = ((JsonArray)value!["adminPasswords"]!).Select(p => (string)p!).ToArray() };
                foreach (var (repository, tags) in (JsonObject)value["repositories"]!)
                {
                    registry.Repositories[repository] = ((JsonObject)tags!).ToDictionary(t => t.Key, t => (string)t.Value!, StringComparer.Ordinal);
                }

                return registry;
            case "secrets":
                return ((JsonObject)value!["values"]!).ToDictionary(s => s.Key, s => (string)s.Value!, StringComparer.OrdinalIgnoreCase);
            case var kind:
                throw new InvalidOperationException($"The saved resource state kind '{kind}' is unknown to this emulator.");
        }
    }
}
