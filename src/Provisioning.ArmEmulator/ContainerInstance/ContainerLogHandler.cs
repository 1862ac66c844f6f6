using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.Arm;

namespace Provisioning.ArmEmulator.ContainerInstance;

/// <summary>
/// <c>GET …/containerGroups/{g}/containers/{c}/logs</c> (<c>Containers_ListLogs</c>): 200 <c>{"content": "…"}</c>. The
/// emulator runs no process, so a container's log is what happened to it: one line per instance-view event (pulling,
/// pulled, started, the pull failure, the back-off, the stop), oldest first. <c>tail</c> keeps the last lines;
/// <c>timestamps=true</c> prefixes each with its RFC 3339 time, as <c>docker logs --timestamps</c> does. A container that
/// has not been started yet has no log: 404 <c>ContainerLogNotAvailable</c>, as ACI answers.
/// </summary>
internal sealed class ContainerLogHandler(EmulatorContext context) : ResourceTypeHandler(context)
{
    public override string ResourceType => ContainerGroupHandler.Type + "/containers";

    /// <summary>Containers are addressed through their group, on the group's api-versions.</summary>
    public override IReadOnlyList<string> ApiVersions => Context.Schemas.ApiVersions(ContainerGroupHandler.Type);

    public override ArmResponse Action(ArmRequest request, string action)
    {
        if (request.Method != "GET" || !action.Equals("logs", StringComparison.OrdinalIgnoreCase))
        {
            throw MethodNotAllowed(request);
        }

        var groupName = request.Path.Names[0];
        var containerName = request.Path.Names[1];
        var groupId = $"{request.Path.Scope}/providers/{request.Path.Namespace}/{request.Path.Types[0]}/{groupName}";
        var where = request.Path.ResourceGroup is { } rg ? $" under resource group '{rg}'" : string.Empty;
        var group = Context.Store.Find(groupId);
        if (group?.State is not ContainerGroupState state)
        {
            throw new ArmException(HttpStatusCode.NotFound, "ResourceNotFound", $"The Resource '{ContainerGroupHandler.Type}/{groupName}'{where} was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");
        }

        var run = state.Containers.FirstOrDefault(c => c.Key.Equals(containerName, StringComparison.OrdinalIgnoreCase)).Value
            ?? throw new ArmException(HttpStatusCode.NotFound, "ResourceNotFound", $"The Resource '{ContainerGroupHandler.Type}/{groupName}/containers/{containerName}'{where} was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");
        if (run.Events.Count == 0)
        {
            throw new ArmException(HttpStatusCode.NotFound, "ContainerLogNotAvailable", $"Log of container '{containerName}' in container group '{group.Name}' is not available yet. Please check container 'InstanceView' for more information or retry later.");
        }

        var timestamps = bool.TryParse(request.Query["timestamps"], out var t) && t;
        IEnumerable<string> lines = run.Events.Select(e => Line(e, timestamps));
        if (int.TryParse(request.Query["tail"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var tail) && tail >= 0)
        {
            lines = lines.TakeLast(tail);
        }

        var content = new StringBuilder();
        foreach (var line in lines)
        {
            content.Append(line).Append('\n');
        }

        return ArmResponse.Ok(new JsonObject { ["content"] = content.ToString() });
    }

    private static string Line(JsonObject e, bool timestamps)
    {
        var text = $"{e["name"]?.GetValue<string>()}: {e["message"]?.GetValue<string>()}";
        return timestamps && e["lastTimestamp"]?.GetValue<string>() is { } time ? $"{time} {text}" : text;
    }
}
