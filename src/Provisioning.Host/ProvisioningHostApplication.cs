using Microsoft.Extensions.Options;
using Provisioning.Durable;
using Provisioning.Host.Configuration;
using Provisioning.Host.Http;
using Provisioning.Host.Samples;

namespace Provisioning.Host;

/// <summary>
/// Builds the self-hosted app: configuration read as an Azure Functions app reads it, the embedded durable engine,
/// and the Durable Functions HTTP API. Tests build it the same way, on an ephemeral loopback port.
/// </summary>
public static class ProvisioningHostApplication
{
    /// <summary>The port Azure Functions Core Tools uses, so local URLs look the same.</summary>
    public const string DefaultUrl = "http://localhost:7071";

    /// <summary>Builds the app; <paramref name="configure"/> can adjust services (e.g. a test clock) before it is built.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration.AddFunctionsSettings(builder.Environment.ContentRootPath);
        builder.Configuration.AddCommandLine(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddProblemDetails();
        builder.Services.Configure<FunctionKeyOptions>(builder.Configuration.GetSection(FunctionKeyOptions.SectionName));
        builder.Services.Configure<DurableTaskSettings>(builder.Configuration.GetSection(DurableTaskSettings.SectionName));

        var durable = builder.Configuration.GetSection(DurableTaskSettings.SectionName).Get<DurableTaskSettings>() ?? new DurableTaskSettings();
        var dataDirectory = Path.GetFullPath(builder.Configuration["Provisioning:DataDirectory"] ?? Path.Combine(builder.Environment.ContentRootPath, ".data"));
        builder.Services.PostConfigure<FunctionKeyOptions>(keys => FunctionKeyStore.EnsureKeys(keys, dataDirectory));
        builder.Services.AddEmbeddedDurableEngine(
            options =>
            {
                options.HubName = durable.HubName;
                options.InMemory = durable.Storage.InMemory;
                options.DatabasePath = durable.Storage.DatabasePath ?? Path.Combine(dataDirectory, $"{durable.HubName}.db");
                options.MaxConcurrentActivities = durable.MaxConcurrentActivityFunctions;
                options.MaxConcurrentOrchestrations = durable.MaxConcurrentOrchestratorFunctions;
            },
            RegisterOrchestrations);

        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapDurableHttpApi();
        app.MapGet("/admin/host/status", () => Results.Json(new { state = "Running" }))
            .AddEndpointFilter(new FunctionKeyFilter(KeyScope.System));
        return app;
    }

    /// <summary>Prints what a newcomer can try, with the keys and the address the host listens on.</summary>
    public static void PrintWelcome(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var keys = app.Services.GetRequiredService<IOptions<FunctionKeyOptions>>().Value;
        var address = app.Urls.FirstOrDefault() ?? DefaultUrl;
        var api = $"{address}{CheckStatusPayload.WebhookPath}";
        Console.WriteLine($$"""

            Provisioning Functions host is listening on {{address}}
              system key:   {{keys.SystemKey}}
              function key: {{keys.FunctionKey}}

            Try the engine:
              curl -s -X POST "{{api}}/orchestrators/HelloSequence?code={{keys.SystemKey}}" -H 'Content-Type: application/json' -d '{"cities":["Oslo","Lima"]}'
              curl -s "{{api}}/instances/<id>?code={{keys.SystemKey}}&showHistory=true"
              curl -s -X POST "{{api}}/orchestrators/ApprovalWorkflow/order-42?code={{keys.SystemKey}}" -H 'Content-Type: application/json' -d '{"timeoutMinutes":5}'
              curl -s -X POST "{{api}}/instances/order-42/raiseEvent/Approval?code={{keys.SystemKey}}" -H 'Content-Type: application/json' -d 'true'

            """);
    }

    private static void RegisterOrchestrations(OrchestrationRegistry registry)
        => registry
            .AddOrchestrator<HelloSequence>()
            .AddOrchestrator<ApprovalWorkflow>()
            .AddActivity<SayHello>();
}
