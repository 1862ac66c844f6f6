using System.Globalization;
using System.Net;
using Provisioning.ArmEmulator.Arm;

namespace Provisioning.ArmEmulator.ContainerRegistry;

/// <summary>
/// <c>Microsoft.ContainerRegistry/registries/runs</c>: GET, list (newest first, <c>$filter</c> as <see cref="RunFilter"/>
/// reads it, <c>$top</c> limiting how many runs are returned in all, as ACR's spec says), and <c>cancel</c>.
/// </summary>
internal sealed class RunHandler(EmulatorContext context, RunScheduler scheduler) : ResourceTypeHandler(context)
{
    public override string ResourceType => RunScheduler.RunType;

    public override ArmResponse List(ArmRequest request, string scope)
    {
        var filter = RunFilter.Parse(request.Query["$filter"]);
        var runs = Context.Store.OfType(ResourceType, scope)
            .OrderByDescending(r => r.CreatedAt)
            .ThenByDescending(r => r.Name.Length)
            .ThenByDescending(r => r.Name, StringComparer.Ordinal)
            .Select(Render)
            .Where(r => filter?.Matches(r) != false);
        if (request.Query.ContainsKey("$top"))
        {
            if (!int.TryParse(request.Query["$top"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var top) || top <= 0)
            {
                throw new ArmException(HttpStatusCode.BadRequest, "InvalidRequest", $"The value '{request.Query["$top"]}' of '$top' is not a positive integer.");
            }

            runs = runs.Take(top);
        }

        return Page(request, runs.ToList());
    }

    public override ArmResponse Action(ArmRequest request, string action)
    {
        if (request.Method != "POST" || !action.Equals("cancel", StringComparison.OrdinalIgnoreCase))
        {
            throw MethodNotAllowed(request);
        }

        var run = Find(request) ?? throw NotFound(request);
        return scheduler.Cancel(run);
    }

    public override ArmResponse Delete(ArmRequest request) =>
        throw new ArmException(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", "The requested resource does not support http method 'DELETE'.");
}
