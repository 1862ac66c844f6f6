using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Provisioning.Telemetry;

namespace Provisioning.Host.Telemetry;

/// <summary>
/// Wraps the two ways a run starts in a product span, so a trace says what happened in the product's words: an Event
/// Grid delivery (<c>POST /runtime/webhooks/eventgrid</c>) and a start request (<c>POST /api/provisioning/...</c>).
/// The runs they create are their children (the engine's <c>create_orchestration</c> span).
/// </summary>
internal sealed class RequestSpans : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, proceed) =>
        {
            var request = context.Request;
            var name = !HttpMethods.IsPost(request.Method) ? null
                : request.Path.StartsWithSegments(EventGridWebhook.Path, StringComparison.OrdinalIgnoreCase) ? "eventgrid.delivery"
                : request.Path.StartsWithSegments("/api/provisioning", StringComparison.OrdinalIgnoreCase) ? "provisioning.start"
                : null;
            if (name is null)
            {
                await proceed(context);
                return;
            }

            using var span = ProvisioningTelemetry.Source.StartActivity(name, ActivityKind.Internal);
            span?.SetTag("eventgrid.function", request.Query["functionName"].FirstOrDefault());
            span?.SetTag("eventgrid.event_type", request.Headers["aeg-event-type"].FirstOrDefault());
            span?.SetTag("url.path", request.Path.Value);
            await proceed(context);
            span?.SetTag("http.response.status_code", context.Response.StatusCode);
            if (context.Response.StatusCode >= 500)
            {
                span?.SetStatus(ActivityStatusCode.Error);
            }
        });
        next(app);
    };
}
