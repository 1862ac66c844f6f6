using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Provisioning.Functions.Configuration;

// The Functions isolated worker, with the ASP.NET Core integration for the HTTP triggers.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();

// Application Insights keeps only warnings from the worker unless its default rule goes; host.json's levels then apply.
builder.Services.Configure<LoggerFilterOptions>(options => options.Rules.Remove(
    options.Rules.FirstOrDefault(rule => rule.ProviderName == "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider")!));

// The templates and rules ship in the app's folder (content files), which is where the worker runs from.
await builder.Services.AddProvisioningFunctionsAsync(builder.Configuration, AppContext.BaseDirectory);
await builder.Build().RunAsync();
