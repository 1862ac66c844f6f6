using System.Reflection;
using System.Text.Json.Nodes;
using Cronos;
using Microsoft.Azure.Functions.Worker;
using Provisioning.Drift;
using Provisioning.Functions.Http;
using Provisioning.Functions.Timers;
using Provisioning.Runs;

namespace Provisioning.Functions.Tests;

/// <summary>The <c>functions.metadata</c> the app's build wrote: what the Functions host indexes, read as it is.</summary>
public sealed class FunctionsMetadataTests
{
    private static readonly IReadOnlyList<JsonObject> Functions = [.. FunctionsApp.ReadJson("functions.metadata").AsArray().Select(node => node!.AsObject())];

    private static readonly string[] HttpAndTimerFunctions =
        [
            ProvisioningHttpFunctions.StartFunctionName, ProvisioningHttpFunctions.ListFunctionName, EventGridFunction.FunctionName, DriftRepairFunction.FunctionName,
            DriftHttpFunctions.ScanFunctionName, DriftHttpFunctions.LastFunctionName, PlanHttpFunctions.PlanFunctionName,
        ];

    private static JsonObject Function(string name) => Assert.Single(Functions, function => (string?)function["name"] == name);

    private static IReadOnlyList<JsonObject> Bindings(string name) => [.. Function(name)["bindings"]!.AsArray().Select(node => node!.AsObject())];

    private static JsonObject Trigger(string name) => Assert.Single(Bindings(name), binding => ((string)binding["type"]!).EndsWith("Trigger", StringComparison.Ordinal));

    [Fact]
    public void Every_orchestrator_the_domain_registers_has_exactly_one_orchestration_trigger_of_its_name()
    {
        Assert.NotEmpty(ProvisioningRegistration.Orchestrators);
        foreach (var orchestrator in ProvisioningRegistration.Orchestrators)
        {
            Assert.Equal("orchestrationTrigger", (string?)Trigger(orchestrator.Name)["type"]);
        }
    }

    [Fact]
    public void Every_activity_the_domain_registers_has_exactly_one_activity_trigger_of_its_name()
    {
        Assert.NotEmpty(ProvisioningRegistration.Activities);
        foreach (var activity in ProvisioningRegistration.Activities)
        {
            Assert.Equal("activityTrigger", (string?)Trigger(activity.Name)["type"]);
        }
    }

    [Fact]
    public void No_function_is_an_orphan_and_no_name_is_used_twice()
    {
        var expected = ProvisioningRegistration.Orchestrators.Concat(ProvisioningRegistration.Activities)
            .Concat(DriftRegistration.Orchestrators).Concat(DriftRegistration.Activities)
            .Select(type => type.Name).Concat(HttpAndTimerFunctions).Order(StringComparer.Ordinal);

        Assert.Equal(expected, Functions.Select(function => (string)function["name"]!).Order(StringComparer.Ordinal));
    }

    public static TheoryData<string, string, string[]> HttpFunctions => new()
    {
        { ProvisioningHttpFunctions.StartFunctionName, "provisioning/{template}/{instanceId?}", ["post"] },
        { ProvisioningHttpFunctions.ListFunctionName, "templates", ["get"] },
        { EventGridFunction.FunctionName, "events", ["post", "options"] },
        { DriftHttpFunctions.ScanFunctionName, "drift", ["post"] },
        { DriftHttpFunctions.LastFunctionName, "drift/last", ["get"] },
        { PlanHttpFunctions.PlanFunctionName, "plan/{template}", ["post"] },
    };

    [Theory]
    [MemberData(nameof(HttpFunctions))]
    public void The_http_functions_have_their_route_methods_and_the_function_key(string name, string route, string[] methods)
    {
        var trigger = Trigger(name);

        Assert.Equal("httpTrigger", (string?)trigger["type"]);
        Assert.Equal(route, (string?)trigger["route"]);
        Assert.Equal(methods, trigger["methods"]!.AsArray().Select(method => ((string)method!).ToLowerInvariant()));
        Assert.Equal("Function", (string?)trigger["authLevel"]);
        Assert.Contains(Bindings(name), binding => (string?)binding["type"] == "http" && (string?)binding["direction"] == "Out");
    }

    [Fact]
    public void The_drift_timer_takes_its_schedule_from_the_app_setting()
    {
        var trigger = Trigger(DriftRepairFunction.FunctionName);

        Assert.Equal("timerTrigger", (string?)trigger["type"]);
        Assert.Equal("%Provisioning__Drift__Schedule%", (string?)trigger["schedule"]);
    }

    [Theory]
    [InlineData(ProvisioningHttpFunctions.StartFunctionName)]
    [InlineData(EventGridFunction.FunctionName)]
    [InlineData(DriftRepairFunction.FunctionName)]
    [InlineData(DriftHttpFunctions.ScanFunctionName)]
    [InlineData(DriftHttpFunctions.LastFunctionName)]
    [InlineData(PlanHttpFunctions.PlanFunctionName)]
    [InlineData("CheckLaneTurn")]
    public void Functions_that_start_or_read_runs_bind_the_durable_client(string name)
        => Assert.Single(Bindings(name), binding => (string?)binding["type"] == "durableClient");

    [Fact]
    public void Every_entry_point_is_a_method_of_the_app_marked_with_its_function_name()
    {
        var assembly = typeof(EventGridFunction).Assembly;
        foreach (var function in Functions)
        {
            var entryPoint = (string)function["entryPoint"]!;
            var split = entryPoint.LastIndexOf('.');
            var method = assembly.GetType(entryPoint[..split], throwOnError: true)!.GetMethod(entryPoint[(split + 1)..]);

            Assert.NotNull(method);
            Assert.Equal((string?)function["name"], method.GetCustomAttribute<FunctionAttribute>()?.Name);
            Assert.Equal(Path.GetFileName(assembly.Location), (string?)function["scriptFile"]);
        }
    }

    [Fact]
    public void The_build_restored_the_durable_extension_for_the_host()
    {
        var extensions = FunctionsApp.ReadJson("extensions.json")["extensions"]!.AsArray();

        var durable = Assert.Single(extensions, extension => (string?)extension!["name"] == "DurableTask")!;
        var hintPath = (string)durable["hintPath"]!;
        Assert.True(File.Exists(FunctionsApp.PathOf(hintPath)), $"{hintPath} is not in the app's output");
        Assert.True(File.Exists(FunctionsApp.PathOf("worker.config.json")));
    }

    [Fact]
    public void The_templates_and_the_rules_ship_with_the_app()
    {
        Assert.True(File.Exists(FunctionsApp.PathOf(Path.Combine("templates", "web.yaml"))));
        Assert.True(File.Exists(FunctionsApp.PathOf("rules.yaml")));
    }

    [Fact]
    public void Host_json_names_the_task_hub_and_bounds_the_concurrency()
    {
        var durable = FunctionsApp.ReadJson("host.json")["extensions"]!["durableTask"]!;

        Assert.Equal("2.0", (string?)FunctionsApp.ReadJson("host.json")["version"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)durable["hubName"]));
        Assert.True((int)durable["maxConcurrentActivityFunctions"]! > 0);
        Assert.True((int)durable["maxConcurrentOrchestratorFunctions"]! > 0);
    }

    [Fact]
    public void The_sample_local_settings_are_valid_for_func_start_with_azurite()
    {
        var sample = Path.Combine(FunctionsApp.ProjectDirectory, "local.settings.sample.json");
        var values = JsonNode.Parse(File.ReadAllText(sample))!["Values"]!;

        Assert.Equal("dotnet-isolated", (string?)values["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("UseDevelopmentStorage=true", (string?)values["AzureWebJobsStorage"]);
        var schedule = (string)values["Provisioning__Drift__Schedule"]!;
        Assert.Equal(6, schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.NotNull(CronExpression.Parse(schedule, CronFormat.IncludeSeconds).GetNextOccurrence(DateTime.UtcNow));
        Assert.True(Guid.TryParse((string?)values["Provisioning__Azure__SubscriptionId"], out _));
        Assert.False(File.Exists(FunctionsApp.PathOf("local.settings.sample.json")), "the sample is not shipped");
    }
}
