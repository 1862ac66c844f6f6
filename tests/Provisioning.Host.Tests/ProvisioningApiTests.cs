using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Provisioning.Host.Tests;

public sealed class ProvisioningApiTests(QuickSandboxFixture fixture) : IClassFixture<QuickSandboxFixture>
{
    private const string StartBody = """{"resourceGroup":"rg-sandbox","parameters":{"image":"sandboxacr.azurecr.io/hello/web:1.0","registryName":"sandboxacr"}}""";

    private readonly LoopbackHost _host = fixture.Host;

    [Fact]
    public async Task The_sample_template_provisions_into_the_sandbox_and_the_status_url_reports_the_running_group()
    {
        using var response = await _host.Http.PostAsync($"/api/provisioning/web?code={LoopbackHost.FunctionKey}", LoopbackHost.Json(StartBody));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var started = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        var status = await _host.WaitForFinishAsync((string)started["statusQueryGetUri"]!);

        Assert.Equal("Completed", (string?)status["runtimeStatus"]);
        Assert.Equal("Succeeded", (string?)status["customStatus"]!["phase"]);
        Assert.EndsWith("/containerGroups/web", (string?)status["output"]!["workloadId"], StringComparison.Ordinal);
        Assert.Equal("web-sandbox-demo.westeurope.azurecontainer.io", (string?)status["output"]!["outputs"]!["fqdn"]);
    }

    [Fact]
    public async Task An_instance_id_in_the_route_makes_the_start_idempotent_while_the_run_is_going()
    {
        using var first = await _host.Http.PostAsync($"/api/provisioning/web/web-release-7?code={LoopbackHost.FunctionKey}", LoopbackHost.Json(StartBody));
        using var second = await _host.Http.PostAsync($"/api/provisioning/web/web-release-7?code={LoopbackHost.FunctionKey}", LoopbackHost.Json(StartBody));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("web-release-7", (string?)(await first.Content.ReadFromJsonAsync<JsonObject>())!["id"]);
    }

    [Fact]
    public async Task The_templates_route_lists_the_templates_with_their_parameters()
    {
        var templates = await _host.Http.GetFromJsonAsync<JsonArray>($"/api/templates?code={LoopbackHost.FunctionKey}");

        var web = templates!.Single(t => (string?)t!["name"] == "web")!;
        Assert.Contains(web["parameters"]!.AsArray(), p => (string?)p!["name"] == "image" && (bool)p["required"]!);
    }

    [Fact]
    public async Task The_sample_acr_task_runs_on_the_base_image_of_the_other_sandbox_registry_with_its_system_identity()
    {
        using var response = await _host.Http.PostAsync($"/api/provisioning/build-task?code={LoopbackHost.FunctionKey}", LoopbackHost.Json("""{"resourceGroup":"rg-sandbox"}"""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var started = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        var status = await _host.WaitForFinishAsync((string)started["statusQueryGetUri"]!);

        Assert.Equal("Completed", (string?)status["runtimeStatus"]);
        Assert.EndsWith("/registries/sandboxacr/tasks/build-app", (string?)status["output"]!["workloadId"], StringComparison.Ordinal);
        Assert.Equal("Succeeded", (string?)status["output"]!["outputs"]!["status"]);
        Assert.Null(status["output"]!["identityId"]);
    }

    public static TheoryData<string, string, HttpStatusCode, string> BadStarts => new()
    {
        { "nosuch", StartBody, HttpStatusCode.NotFound, "Known templates: build-task, " },
        { "web", """{"parameters":{"image":"x"}}""", HttpStatusCode.BadRequest, "resourceGroup" },
        { "web", """{"resourceGroup":"rg sandbox!"}""", HttpStatusCode.BadRequest, "not a valid resource group name" },
        { "web", """{"resourceGroup":"rg-sandbox","parameters":[1,2]}""", HttpStatusCode.BadRequest, "'parameters' must be a JSON object" },
        { "web", """{"resourceGroup":"rg-sandbox","params":{}}""", HttpStatusCode.BadRequest, "unknown field 'params'" },
        { "web", """{"resourceGroup":"rg-sandbox","subscriptionId":"abc"}""", HttpStatusCode.BadRequest, "subscription GUID" },
        { "web", """{"resourceGroup":"rg-sandbox","parameters":{"registryName":"sandboxacr"}}""", HttpStatusCode.BadRequest, "image" },
        { "web", """{"resourceGroup":"rg-sandbox","parameters":{"image":"x","registryName":"sandboxacr","surprise":1}}""", HttpStatusCode.BadRequest, "surprise" },
        { "web", "[]", HttpStatusCode.BadRequest, "JSON object" },
        { "web", "{", HttpStatusCode.BadRequest, "not valid JSON" },
        { "web", string.Empty, HttpStatusCode.BadRequest, "needs a JSON body" },
    };

    [Theory]
    [MemberData(nameof(BadStarts))]
    public async Task A_bad_start_is_refused_with_a_reason_and_starts_nothing(string template, string body, HttpStatusCode expected, string named)
    {
        var before = (await _host.Http.GetFromJsonAsync<JsonArray>(LoopbackHost.Webhook("instances?top=1000")))!.Count;

        using var response = await _host.Http.PostAsync($"/api/provisioning/{template}?code={LoopbackHost.FunctionKey}", LoopbackHost.Json(body));

        Assert.Equal(expected, response.StatusCode);
        Assert.Contains(named, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, (await _host.Http.GetFromJsonAsync<JsonArray>(LoopbackHost.Webhook("instances?top=1000")))!.Count);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("not-a-key", HttpStatusCode.Unauthorized)]
    [InlineData(LoopbackHost.SystemKey, HttpStatusCode.Accepted)]
    public async Task Function_routes_take_the_function_key_or_the_system_key(string? key, HttpStatusCode expected)
    {
        using var response = await _host.Http.PostAsync($"/api/provisioning/web{(key is null ? string.Empty : "?code=" + key)}", LoopbackHost.Json(StartBody));

        Assert.Equal(expected, response.StatusCode);
    }
}
