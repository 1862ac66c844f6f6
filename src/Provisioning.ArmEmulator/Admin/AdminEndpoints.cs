using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Provisioning.ArmEmulator.ContainerRegistry;
using Provisioning.ArmEmulator.Faults;
using Provisioning.ArmEmulator.Hosting;

namespace Provisioning.ArmEmulator.Admin;

/// <summary>
/// The emulator's own endpoints under <c>/_emulator</c> (no ARM auth, loopback clients only):
/// <list type="bullet">
/// <item><c>GET /_emulator/inventory</c> — every resource that exists.</item>
/// <item><c>GET|DELETE /_emulator/requests</c> — the ARM request log (method, path, api-version, status, time) / clear it.</item>
/// <item><c>GET|PUT /_emulator/faults</c> — the fault settings (<see cref="FaultSettings"/> as camelCase JSON).</item>
/// <item><c>POST /_emulator/registries/{registryName}/images</c> <c>{repository, tag, digest?}</c> — push (raises ImagePushed).</item>
/// <item><c>GET /_emulator/registries/{registryName}/images</c>; <c>DELETE …/images?repository=&amp;tag=</c> (raises ImageDeleted).</item>
/// <item><c>GET /_emulator/events</c> — events raised so far; <c>GET /_emulator/deliveries</c> — every delivery attempt.</item>
/// <item><c>GET /_emulator/eventSubscriptions</c>; <c>PUT|GET|DELETE /_emulator/eventSubscriptions/{name}</c> (PUT performs the
/// validation handshake and answers with the resulting <c>provisioningState</c>); <c>GET …/{name}/validate?code=</c> (manual validation URL).</item>
/// <item><c>POST|GET /_emulator/token</c> — an OAuth-style bearer token; <c>GET /_emulator/certificate</c> — the PEM certificate.</item>
/// </list>
/// </summary>
internal static class AdminEndpoints
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static void Map(IEndpointRouteBuilder app, ArmEmulatorServer server, TokenIssuer tokens, RegistryDataPlane registries)
    {
        var group = app.MapGroup("/_emulator").AddEndpointFilter(async (ctx, next) =>
        {
            var remote = ctx.HttpContext.Connection.RemoteIpAddress;
            return remote is not null && !IPAddress.IsLoopback(remote) ? Results.StatusCode(403) : await next(ctx);
        });

        group.MapGet("/inventory", () => Results.Json(server.GetInventory(), Json));
        group.MapGet("/requests", () => Results.Json(server.GetRequestLog(), Json));
        group.MapDelete("/requests", () =>
        {
            server.ClearRequestLog();
            return Results.NoContent();
        });
        group.MapGet("/faults", () => Results.Json(server.Faults.Current, Json));
        group.MapPut("/faults", async (HttpRequest request) =>
        {
            try
            {
                var settings = await JsonSerializer.DeserializeAsync<FaultSettings>(request.Body, Json, request.HttpContext.RequestAborted);
                if (settings is null)
                {
                    return Results.BadRequest();
                }

                server.Faults.Set(settings);
                return Results.Json(server.Faults.Current, Json);
            }
            catch (JsonException ex)
            {
                return Results.BadRequest(new { error = new { code = "InvalidFaults", message = ex.Message } });
            }
        });
        group.MapPost("/registries/{registryName}/images", (string registryName, PushImageRequest push) =>
        {
            var digest = registries.Push(registryName, push.Repository, push.Tag, push.Digest);
            return digest is null
                ? Results.NotFound(new { error = new { code = "ResourceNotFound", message = $"Registry '{registryName}' does not exist." } })
                : Results.Json(new { registry = registryName, push.Repository, push.Tag, digest }, Json, statusCode: 201);
        });
        group.MapGet("/registries/{registryName}/images", (string registryName) =>
        {
            var images = registries.List(registryName);
            return images is null ? Results.NotFound() : Results.Json(images, Json);
        });
        group.MapDelete("/registries/{registryName}/images", (string registryName, string repository, string? tag) =>
            registries.Delete(registryName, repository, tag) ? Results.NoContent() : Results.NotFound());
        group.MapGet("/events", () => Results.Json(server.GetEvents(), Json));
        group.MapGet("/deliveries", () => Results.Json(server.GetDeliveries(), Json));
        group.MapGet("/eventSubscriptions", () => Results.Json(server.EventSubscriptions.List(), Json));
        group.MapGet("/eventSubscriptions/{name}", (string name) =>
            server.EventSubscriptions.Get(name) is { } s ? Results.Json(s, Json) : Results.NotFound());
        group.MapDelete("/eventSubscriptions/{name}", (string name) =>
            server.EventSubscriptions.Delete(name) ? Results.Ok() : Results.NoContent());
        group.MapGet("/eventSubscriptions/{name}/validate", (string name, string code) =>
            server.EventSubscriptions.Validate(name, code) ? Results.Ok(new { validated = true }) : Results.NotFound());
        group.MapPut("/eventSubscriptions/{name}", async (string name, HttpRequest request) =>
        {
            EventSubscriptionRequest? body;
            try
            {
                body = await JsonSerializer.DeserializeAsync<EventSubscriptionRequest>(request.Body, Json, request.HttpContext.RequestAborted);
            }
            catch (JsonException ex)
            {
                return Results.BadRequest(new { error = new { code = "InvalidRequestContent", message = ex.Message } });
            }

            if (body?.Endpoint is null)
            {
                return Results.BadRequest(new { error = new { code = "InvalidRequestContent", message = "endpoint is required." } });
            }

            var existed = server.EventSubscriptions.Get(name) is not null;
            try
            {
                var created = await server.EventSubscriptions.CreateOrUpdateAsync(body.ToSubscription(name), request.HttpContext.RequestAborted);
                return Results.Json(created, Json, statusCode: existed ? 200 : 201);
            }
            catch (ArgumentException ex)
            {
                return Results.BadRequest(new { error = new { code = "InvalidEndpoint", message = ex.Message } });
            }
        });
        group.MapMethods("/token", ["GET", "POST"], () =>
        {
            var (token, expires) = tokens.Issue(TimeSpan.FromHours(1));
            return Results.Json(
                new Dictionary<string, object>
                {
                    ["token_type"] = "Bearer",
                    ["access_token"] = token,
                    ["expires_in"] = 3600,
                    ["expires_on"] = expires.ToUnixTimeSeconds(),
                },
                Json);
        });
        group.MapGet("/certificate", () => Results.Text(server.Certificate.ExportCertificatePem(), "application/x-pem-file"));
    }
}
