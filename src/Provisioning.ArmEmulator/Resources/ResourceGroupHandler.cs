using System.Net;
using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.Arm;
using Provisioning.ArmEmulator.State;
using Provisioning.ArmEmulator.Validation;

namespace Provisioning.ArmEmulator.Resources;

/// <summary>
/// <c>/subscriptions/{s}/resourcegroups/{name}</c>: synchronous PUT, long-running DELETE that removes every
/// resource inside (ARM answers 202 with <c>Location</c> on <c>/subscriptions/{s}/operationresults/{id}</c>).
/// </summary>
internal sealed class ResourceGroupHandler : ResourceTypeHandler
{
    private const string DeleteKind = "resourceGroups.delete";

    public ResourceGroupHandler(EmulatorContext context)
        : base(context)
    {
        context.Operations.Register(DeleteKind, operation =>
            Context.Store.Find(operation.ResourceId) is { } group ? Cascade(group, operation.Arg("correlationId") ?? string.Empty) : null);
    }

    public override string ResourceType => "Microsoft.Resources/resourceGroups";


    public override bool IsLocationBased => false;

    public override ArmResponse Put(ArmRequest request)
    {
        var body = request.RequireObjectBody();
        NameRules.ResourceGroup.Check(ResourceType, request.Path.Name);
        ValidateBody(request);
        var location = RequireLocation(body);
        var existing = Find(request);
        if (existing is not null)
        {
            if (existing.ProvisioningState == "Deleting")
            {
                throw new ArmException(HttpStatusCode.Conflict, "ResourceGroupBeingDeleted", $"The resource group '{existing.Name}' is in deprovisioning state and cannot perform this operation.");
            }

            if (!string.Equals(existing.Location, location, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArmException(HttpStatusCode.Conflict, "InvalidResourceGroupLocation", $"Invalid resource group location '{location}'. The Resource group already exists in location '{existing.Location}'.");
            }
        }

        ThrowIfForcedToFail(request);
        var doc = new JsonObject
        {
            ["id"] = request.Path.Scope,
            ["name"] = existing?.Name ?? request.Path.Name,
            ["type"] = ResourceType,
            ["location"] = location,
            ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
        };
        if (body["tags"] is JsonObject tags)
        {
            doc["tags"] = tags.DeepClone();
        }

        if (body["managedBy"] is JsonValue managedBy)
        {
            doc["managedBy"] = managedBy.DeepClone();
        }

        var now = Context.Time.GetUtcNow();
        var resource = new StoredResource
        {
            Id = existing?.Id ?? request.Path.Scope,
            Type = ResourceType,
            Name = existing?.Name ?? request.Path.Name,
            SubscriptionId = request.Path.SubscriptionId!,
            ResourceGroup = request.Path.Name,
            Document = doc,
            CreatedAt = existing?.CreatedAt ?? now,
            ChangedAt = now,
        };
        doc["id"] = resource.Id;
        Context.Store.Put(resource);
        RaiseResourceEvent("ResourceWriteSuccess", resource.Id, "Microsoft.Resources/subscriptions/resourceGroups/write", request.CorrelationId);
        return existing is null ? ArmResponse.Created(Render(resource)) : ArmResponse.Ok(Render(resource));
    }

    public override ArmResponse Get(ArmRequest request)
    {
        var resource = Find(request) ?? throw ResourceGroupNotFound(request.Path.Name);
        return ArmResponse.Ok(Render(resource));
    }

    public override ArmResponse Patch(ArmRequest request)
    {
        var resource = Find(request) ?? throw ResourceGroupNotFound(request.Path.Name);
        var body = request.RequireObjectBody();
        ValidateBody(request, patch: true);
        var doc = (JsonObject)resource.Document.DeepClone();
        if (body["tags"] is JsonObject tags)
        {
            doc["tags"] = tags.DeepClone();
        }

        resource.Document = doc;
        resource.ChangedAt = Context.Time.GetUtcNow();
        RaiseResourceEvent("ResourceWriteSuccess", resource.Id, "Microsoft.Resources/subscriptions/resourceGroups/write", request.CorrelationId);
        return ArmResponse.Ok(Render(resource));
    }

    public override ArmResponse Delete(ArmRequest request)
    {
        var resource = Find(request) ?? throw ResourceGroupNotFound(request.Path.Name);
        var doc = (JsonObject)resource.Document.DeepClone();
        doc["properties"] = new JsonObject { ["provisioningState"] = "Deleting" };
        resource.Document = doc;
        var operation = Context.Operations.Start(
            resource.SubscriptionId,
            "Microsoft.Resources",
            resource.Location ?? "global",
            resource.Id,
            "DELETE",
            Context.Faults.Current.ProvisioningDuration,
            DeleteKind,
            new JsonObject { ["correlationId"] = request.CorrelationId });
        var response = new ArmResponse(HttpStatusCode.Accepted);
        response.Headers["Location"] = $"{Context.BaseUri.ToString().TrimEnd('/')}/subscriptions/{resource.SubscriptionId}/operationresults/{operation.Id}?api-version={request.ApiVersion}";
        response.Headers["Retry-After"] = Context.Options.AsyncRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return response;
    }

    public override ArmResponse List(ArmRequest request, string scope) =>
        Page(request, Context.Store.OfType(ResourceType, scope).Select(Render).ToList());

    private ArmError? Cascade(StoredResource group, string correlationId)
    {
        var inside = Context.Store.All.Where(r => r.Id != group.Id && ResourceStore.IsAtOrBelow(r.Id, group.Id)).ToList();
        foreach (var r in inside.OrderByDescending(r => r.Id.Length))
        {
            Context.Operations.CancelFor(r.Id);
            Context.Store.Remove(r.Id);
            RaiseResourceEvent("ResourceDeleteSuccess", r.Id, r.Type + "/delete", correlationId);
        }

        Context.Store.Remove(group.Id);
        RaiseResourceEvent("ResourceDeleteSuccess", group.Id, "Microsoft.Resources/subscriptions/resourceGroups/delete", correlationId);
        return null;
    }

    private new StoredResource? Find(ArmRequest request) => Context.Store.Find(request.Path.Scope);
}
