using System.Text.Json;
using Microsoft.DurableTask.Client;
using Provisioning.Host.Http;

// In the namespace of WebApplication, so the host maps the dashboard without another using.
#pragma warning disable IDE0130 // Namespace does not match folder structure
namespace Microsoft.AspNetCore.Builder;
#pragma warning restore IDE0130

/// <summary>
/// The dashboard under <c>/dashboard</c>: static pages (HTML, CSS, vanilla JavaScript, no build step) and the JSON they
/// read under <c>/dashboard/api</c>. The pages hold no data and are served to anyone; every data route requires the
/// system key, as the Durable HTTP API does, because the page's actions (cancel, terminate, restart, purge) go to that API.
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>Where the dashboard is served.</summary>
    public const string Path = "/dashboard";

    /// <summary>Maps the pages and the data routes.</summary>
    /// <param name="endpoints">The app.</param>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // "/dashboard" and "/dashboard/" both serve the page (routing ignores the trailing slash); its links are absolute.
        endpoints.MapGet($"{Path}/{{file?}}", (string? file) => Provisioning.Host.Dashboard.DashboardAssets.Serve(file ?? "index.html"));

        // The ARM calls of each run, recorded from now on, for as long as the host runs.
        var armCalls = new Provisioning.Host.Dashboard.ArmCallLog();
        endpoints.ServiceProvider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(armCalls.Dispose);

        var api = endpoints.MapGroup($"{Path}/api").AddEndpointFilter(new FunctionKeyFilter(KeyScope.System));
        api.MapGet("/runs", Provisioning.Host.Dashboard.DashboardRuns.ListAsync);
        api.MapGet("/runs/{instanceId}", (string instanceId, DurableTaskClient client, HttpContext context, CancellationToken cancellationToken)
            => Provisioning.Host.Dashboard.DashboardRuns.GetAsync(instanceId, client, armCalls, context.RequestServices, cancellationToken));
        api.MapGet("/workloads", Provisioning.Host.Dashboard.WorkloadLanes.ListAsync);
        api.MapGet("/sandbox", Provisioning.Host.Dashboard.SandboxInventory.GetAsync);
        api.MapPost("/sandbox/images", Provisioning.Host.Dashboard.SandboxInventory.PushAsync);
        return endpoints;
    }

    /// <summary>The JSON settings of every data route: the web defaults, as the Durable HTTP API.</summary>
    internal static JsonSerializerOptions Json => JsonSerializerOptions.Web;
}
