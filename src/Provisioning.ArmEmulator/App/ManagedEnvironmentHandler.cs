using System.Net;
using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.Arm;
using Provisioning.ArmEmulator.Validation;

namespace Provisioning.ArmEmulator.App;

/// <summary>
/// <c>Microsoft.App/managedEnvironments</c>: long-running PUT (201 + <c>Azure-AsyncOperation</c>,
/// <c>Waiting</c> → <c>Succeeded</c>), long-running DELETE (refused while container apps use it).
/// </summary>
internal sealed class ManagedEnvironmentHandler : ResourceTypeHandler
{
    public const string Type = "Microsoft.App/managedEnvironments";

    private const string CreateKind = "managedEnvironments.create";
    private const string DeleteKind = "managedEnvironments.delete";

    public ManagedEnvironmentHandler(EmulatorContext context)
        : base(context)
    {
        context.Operations.Register(CreateKind, CompleteCreate);
        context.Operations.Register(DeleteKind, CompleteDelete);
    }

    public override string ResourceType => Type;


    public override ArmResponse Put(ArmRequest request)
    {
        var body = request.RequireObjectBody();
        NameRules.ManagedEnvironment.Check(ResourceType, request.Path.Name);
        ValidateBody(request);
        RequireResourceGroup(request);
        var location = RequireLocation(body);
        var existing = Find(request);
        var doc = Envelope(request, location, body);
        if (body["identity"] is JsonObject identity)
        {
            doc["identity"] = identity.DeepClone();
        }

        var properties = body["properties"] is JsonObject p ? (JsonObject)p.DeepClone() : [];
        properties.Remove("appLogsConfiguration");
        if (body["properties"]?["appLogsConfiguration"] is JsonObject logs)
        {
            var copy = (JsonObject)logs.DeepClone();
            (copy["logAnalyticsConfiguration"] as JsonObject)?.Remove("sharedKey");
            properties["appLogsConfiguration"] = copy;
        }

        var hash = (uint)request.Path.Name.GetHashCode(StringComparison.Ordinal);
        properties["defaultDomain"] = $"{request.Path.Name}-{hash % 100000:D5}.{location}.azurecontainerapps.io";
        properties["staticIp"] = $"20.1.{hash % 250}.{(hash / 250) % 250}";
        properties["provisioningState"] = existing is null ? "Waiting" : "Succeeded";
        doc["properties"] = properties;
        var (resource, created) = Save(request, doc);
        if (!created)
        {
            RaiseResourceEvent("ResourceWriteSuccess", resource.Id, Type + "/write", request.CorrelationId);
            return ArmResponse.Ok(Render(resource));
        }

        var fail = Context.Faults.IsForcedToFail(resource.Id, resource.Name);
        var operation = Context.Operations.Start(
            resource.SubscriptionId,
            "Microsoft.App",
            location,
            resource.Id,
            "PUT",
            Context.Faults.Current.ProvisioningDuration,
            CreateKind,
            new JsonObject { ["fail"] = fail, ["correlationId"] = request.CorrelationId });
        return OperationTracker.WithAsyncHeaders(ArmResponse.Created(Render(resource)), operation, Context.BaseUri, request.ApiVersion, Context.Options.AsyncRetryAfterSeconds, location: false);
    }

    public override ArmResponse Delete(ArmRequest request)
    {
        var resource = Find(request);
        if (resource is null)
        {
            return ArmResponse.NoContent();
        }

        if (Context.Store.OfType(ContainerAppHandler.Type).Any(a => string.Equals(ContainerAppHandler.EnvironmentOf(a), resource.Id, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArmException(HttpStatusCode.Conflict, "ManagedEnvironmentHasContainerApps", $"Cannot delete managed environment '{resource.Name}' because it still has container apps.");
        }

        return AcceptDelete(request, resource, "Microsoft.App", DeleteKind);
    }

    private ArmError? CompleteCreate(ArmOperation operation)
    {
        var r = Context.Store.Find(operation.ResourceId);
        if (r is null)
        {
            return new ArmError("ResourceNotFound", "The environment was deleted while it was being created.");
        }

        var fail = operation.Flag("fail");
        var d = (JsonObject)r.Document.DeepClone();
        d["properties"]!["provisioningState"] = fail ? "Failed" : "Succeeded";
        r.Document = d;
        if (fail)
        {
            return new ArmError("InternalServerError", $"The resource '{r.Name}' is configured to fail (emulator fault 'FailingResources').");
        }

        RaiseResourceEvent("ResourceWriteSuccess", r.Id, Type + "/write", operation.Arg("correlationId") ?? string.Empty);
        return null;
    }
}
