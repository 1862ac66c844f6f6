using Provisioning.Templates;
using Provisioning.Templates.Binding;

namespace Provisioning.Requests;

/// <summary>
/// What a start request's body asks for — its parameters and where they go — read the same way by every route that
/// binds a template from it (start, plan, what-if), with the same problems for a bad body.
/// </summary>
internal static class StartTarget
{
    /// <summary>
    /// Reads the body: an unreadable one, bad fields, or no subscription (none in the body and no default) give a 400
    /// <paramref name="problem"/> naming the fix.
    /// </summary>
    public static bool TryRead(
        JsonBody body,
        string? defaultSubscriptionId,
        string defaultLocation,
        out StartProvisioningRequest? request,
        out TemplateTarget? target,
        out RequestProblem? problem)
    {
        request = null;
        target = null;
        if (body.Problem is { } unreadable)
        {
            problem = unreadable;
            return false;
        }

        if (!StartProvisioningRequest.TryRead(body.Value, out request, out var refused))
        {
            problem = RequestProblem.BadRequest(refused!);
            return false;
        }

        var subscription = request!.SubscriptionId ?? defaultSubscriptionId;
        if (subscription is null)
        {
            problem = RequestProblem.BadRequest("The body needs 'subscriptionId': no default subscription is configured (setting Provisioning__Azure__SubscriptionId).");
            return false;
        }

        target = new TemplateTarget(subscription, request.ResourceGroup, request.Location ?? defaultLocation);
        problem = null;
        return true;
    }

    /// <summary>400 for parameters the template refuses, with one entry per error in <c>errors</c>.</summary>
    public static RequestProblem InvalidParameters(TemplateException invalid) =>
        new(400, "The parameters do not fit the template", invalid.Message)
        {
            Extensions = new Dictionary<string, object?>
            {
                ["errors"] = invalid.Errors.Select(e => new { file = e.File, field = e.Path, problem = e.Problem, fix = e.Fix }).ToList(),
            },
        };
}
