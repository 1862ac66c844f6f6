using System.Net;
using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.Arm;

namespace Provisioning.ArmEmulator.App;

/// <summary>
/// <c>GET …/containerApps/{app}/revisions[/{revision}]</c> (<c>ContainerAppsRevisions_GetRevision</c> and
/// <c>_ListRevisions</c>): the revisions the app's PUTs started, as <see cref="ContainerAppHandler"/> keeps them, on
/// the app's api-versions. Read-only, as in Azure (revisions are made by updating the app).
/// </summary>
internal sealed class ContainerAppRevisionHandler(EmulatorContext context) : ResourceTypeHandler(context)
{
    public override string ResourceType => ContainerAppHandler.Type + "/revisions";

    /// <summary>Revisions are addressed through their app, on the app's api-versions.</summary>
    public override IReadOnlyList<string> ApiVersions => Context.Schemas.ApiVersions(ContainerAppHandler.Type);

    public override ArmResponse Get(ArmRequest request)
    {
        var app = FindApp(request);
        var name = request.Path.Names[1];
        var revision = ContainerAppHandler.RevisionsOf(app).FirstOrDefault(r => string.Equals(r["name"]?.GetValue<string>(), name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArmException(HttpStatusCode.NotFound, "ContainerAppRevisionNotFound", $"Revision '{name}' of container app '{app.Name}' was not found.");
        return ArmResponse.Ok(revision.DeepClone());
    }

    public override ArmResponse List(ArmRequest request, string scope) =>
        Page(request, ContainerAppHandler.RevisionsOf(FindApp(request)).Select(r => (JsonObject)r.DeepClone()).ToList());

    private State.StoredResource FindApp(ArmRequest request)
    {
        var appName = request.Path.Names[0];
        var appId = $"{request.Path.Scope}/providers/{request.Path.Namespace}/{request.Path.Types[0]}/{appName}";
        var app = Context.Store.Find(appId);
        if (app is null || !app.Type.Equals(ContainerAppHandler.Type, StringComparison.OrdinalIgnoreCase))
        {
            var where = request.Path.ResourceGroup is { } rg ? $" under resource group '{rg}'" : string.Empty;
            throw new ArmException(HttpStatusCode.NotFound, "ResourceNotFound", $"The Resource '{ContainerAppHandler.Type}/{appName}'{where} was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");
        }

        return app;
    }
}
