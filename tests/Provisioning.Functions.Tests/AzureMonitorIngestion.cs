using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Provisioning.Functions.Tests;

/// <summary>
/// Application Insights' ingestion endpoint on loopback: it accepts what the Azure Monitor exporter posts to
/// <c>v2.1/track</c> (gzipped, one JSON telemetry item per line) and keeps every item, so a test reads what the app
/// would have sent to Azure. Live metrics' calls go here too (answered "not subscribed"), so nothing leaves the machine.
/// </summary>
internal sealed class AzureMonitorIngestion : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<JsonObject> _items = new();

    private AzureMonitorIngestion(WebApplication app) => _app = app;

    /// <summary>A connection string that sends here, with the instrumentation key every item carries.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>The instrumentation key of <see cref="ConnectionString"/>: new for each receiver, so what the exporter kept on disk from another run (its offline storage is per key and endpoint) is not counted here.</summary>
    public string InstrumentationKey { get; } = Guid.NewGuid().ToString();

    /// <summary>The items received so far.</summary>
    public IReadOnlyList<JsonObject> Items => [.. _items];

    public static async Task<AzureMonitorIngestion> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var ingestion = new AzureMonitorIngestion(app);
        app.MapPost("/v2.1/track", (Func<HttpContext, Task<IResult>>)ingestion.TrackAsync);
        app.MapFallback((HttpContext context) =>
        {
            context.Response.Headers["x-ms-qps-subscribed"] = "false";
            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/";
        ingestion.ConnectionString = $"InstrumentationKey={ingestion.InstrumentationKey};IngestionEndpoint={address};LiveEndpoint={address}";
        return ingestion;
    }

    private async Task<IResult> TrackAsync(HttpContext context)
    {
        Stream body = context.Request.Body;
        if (context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            body = new GZipStream(body, CompressionMode.Decompress);
        }

        using var reader = new StreamReader(body);
        var count = 0;
        while (await reader.ReadLineAsync(context.RequestAborted) is { } line)
        {
            if (!string.IsNullOrWhiteSpace(line) && JsonNode.Parse(line) is JsonObject item)
            {
                _items.Enqueue(item);
                count++;
            }
        }

        return Results.Json(new { itemsReceived = count, itemsAccepted = count, errors = Array.Empty<object>() });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
