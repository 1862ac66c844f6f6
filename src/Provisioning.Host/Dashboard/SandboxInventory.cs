using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Provisioning.Host.Http;
using Provisioning.Host.Sandbox;

namespace Provisioning.Host.Dashboard;

/// <summary>
/// The sandbox page: the emulator's inventory and its registry's images, read from the emulator's admin endpoints
/// (<c>/_emulator</c>, loopback only, over its own HTTPS certificate, which a browser would not trust: so the host asks).
/// </summary>
internal static class SandboxInventory
{
    /// <summary><c>GET /dashboard/api/sandbox</c>: 404 on a host that targets Azure.</summary>
    public static async Task<IResult> GetAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetService<SandboxEnvironment>() is not { } sandbox)
        {
            return Problems.NotFound("This host targets Azure: it has no sandbox.");
        }

        using var http = sandbox.CreateHttpClient();
        var inventory = await http.GetFromJsonAsync<JsonArray>("_emulator/inventory", cancellationToken);
        // The emulator lists images as {repository: {tag: digest}}; the page shows one row per tag.
        var byRepository = await http.GetFromJsonAsync<JsonObject>($"_emulator/registries/{Uri.EscapeDataString(sandbox.Settings.Registry)}/images", cancellationToken);
        var images = (byRepository ?? [])
            .SelectMany(repository => (repository.Value as JsonObject ?? []).Select(tag => new { repository = repository.Key, tag = tag.Key, digest = tag.Value?.GetValue<string>() }))
            .OrderBy(image => image.repository, StringComparer.Ordinal)
            .ThenBy(image => image.tag, StringComparer.Ordinal)
            .ToList();
        return Results.Json(
            new
            {
                emulator = sandbox.BaseUri,
                external = sandbox.IsExternal,
                subscriptionId = sandbox.SubscriptionId,
                resourceGroup = sandbox.Settings.ResourceGroup,
                registry = sandbox.Settings.Registry,
                image = sandbox.Settings.Image,
                inventory,
                images,
            },
            DashboardEndpoints.Json);
    }

    /// <summary><c>POST /dashboard/api/sandbox/images</c> <c>{repository, tag}</c>: pushes to the sandbox registry (the emulator raises ImagePushed).</summary>
    public static async Task<IResult> PushAsync(HttpContext context, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetService<SandboxEnvironment>() is not { } sandbox)
        {
            return Problems.NotFound("This host targets Azure: it has no sandbox.");
        }

        var (body, error) = await JsonRequestBody.ReadAsync(context.Request, required: true, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var repository = (body as JsonObject)?["repository"] is JsonValue r && r.TryGetValue<string>(out var repo) ? repo : null;
        var tag = (body as JsonObject)?["tag"] is JsonValue t && t.TryGetValue<string>(out var text) ? text : null;
        if (string.IsNullOrWhiteSpace(repository) || string.IsNullOrWhiteSpace(tag))
        {
            return Problems.BadRequest("A push needs 'repository' and 'tag', e.g. {\"repository\":\"hello/web\",\"tag\":\"1.1\"}.");
        }

        using var http = sandbox.CreateHttpClient();
        using var response = await http.PostAsJsonAsync(
            $"_emulator/registries/{Uri.EscapeDataString(sandbox.Settings.Registry)}/images", new { repository, tag }, cancellationToken);
        var answer = await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken);
        return Results.Json(answer, DashboardEndpoints.Json, statusCode: (int)response.StatusCode);
    }
}
