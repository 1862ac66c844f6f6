using System.Text.Json.Nodes;
using Azure.Core;
using Provisioning.Arm.Errors;
using Provisioning.Arm.Pipeline;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.Compute;

/// <summary>Microsoft.Compute/virtualMachines: get, for the identities a grant-only run grants to. The product never creates or deletes a VM.</summary>
public sealed class VirtualMachineClient
{
    /// <summary>The resource type.</summary>
    public const string ResourceType = "Microsoft.Compute/virtualMachines";

    private readonly ArmPipeline _pipeline;

    internal VirtualMachineClient(ArmPipeline pipeline) => _pipeline = pipeline;

    /// <summary>Gets a virtual machine, or null when it does not exist.</summary>
    /// <param name="id">The VM's resource id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<VirtualMachine?> GetAsync(ArmResourceId id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!id.ResourceType.Equals(ResourceType, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{id}' is a {id.ResourceType}, not a {ResourceType}.", nameof(id));
        }

        var response = await _pipeline.SendAsync(RequestMethod.Get, id.ToString(), ArmApiVersions.VirtualMachines, null, [200, 404], cancellationToken);
        return response.Status == 404 ? null : Read(response.Body);
    }

    internal static VirtualMachine Read(JsonNode? body)
    {
        var id = JsonRead.String(body?["id"]) ?? throw new ArmException(0, new ArmError("InvalidResponse", "The virtual machine response has no 'id'.", null, []), null, null);
        var identity = body?["identity"];
        var userAssigned = (identity?["userAssignedIdentities"] as JsonObject)?
            .Where(entry => JsonRead.String(entry.Value?["principalId"]) is not null)
            .ToDictionary(entry => entry.Key, entry => JsonRead.String(entry.Value!["principalId"])!, StringComparer.OrdinalIgnoreCase)
            ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        return new VirtualMachine(
            ArmResourceId.Parse(id),
            JsonRead.String(body?["location"]) ?? string.Empty,
            JsonRead.String(identity?["type"]),
            JsonRead.String(identity?["principalId"]),
            userAssigned);
    }
}
