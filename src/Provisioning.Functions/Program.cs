using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Provisioning.Functions.Configuration;

// The Functions isolated worker, with the ASP.NET Core integration for the HTTP triggers.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

// The templates and rules ship in the app's folder (content files), which is where the worker runs from. Telemetry is
// registered there too: OpenTelemetry to Application Insights (APPLICATIONINSIGHTS_CONNECTION_STRING) and/or OTLP
// (OTEL_EXPORTER_OTLP_ENDPOINT), see Configuration/FunctionsTelemetry; not the Application Insights SDK, which would
// send the same logs a second time.
await builder.Services.AddProvisioningFunctionsAsync(builder.Configuration, AppContext.BaseDirectory);
await builder.Build().RunAsync();
