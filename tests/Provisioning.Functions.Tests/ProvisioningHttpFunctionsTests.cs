using Microsoft.DurableTask.Client;
using Provisioning.Orchestrations;

namespace Provisioning.Functions.Tests;

/// <summary><c>POST /api/provisioning/{template}/{instanceId?}</c> and <c>GET /api/templates</c>, called as the worker calls them.</summary>
public sealed class ProvisioningHttpFunctionsTests(HttpFunctionsFixture fixture) : IClassFixture<HttpFunctionsFixture>
{
    private const string StartBody = """{"resourceGroup":"rg-sandbox","parameters":{"image":"sandboxacr.azurecr.io/hello/web:1.0","registryName":"sandboxacr"}}""";

    private async Task<HttpExchange> StartAsync(string template, string? instanceId, string body)
    {
        var exchange = HttpExchange.Create("POST", $"/api/provisioning/{template}{(instanceId is null ? string.Empty : "/" + instanceId)}?code=key", body);
        var result = await fixture.Provisioning.StartProvisioning(exchange.Request, fixture.Client, fixture.Context, template, instanceId, CancellationToken.None);
        return await exchange.AnswerAsync(result);
    }

    private async Task<int> InstanceCountAsync()
    {
        var count = 0;
        await foreach (var instance in fixture.Client.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 1000 }))
        {
            count++;
        }

        return count;
    }

    [Fact]
    public async Task A_start_answers_202_with_the_durable_management_urls_and_schedules_the_run()
    {
        var answer = await StartAsync("web", null, StartBody);

        Assert.Equal(202, answer.Status);
        var payload = answer.Json;
        var id = (string)payload["id"]!;
        var status = (string)payload["statusQueryGetUri"]!;
        // A run started by a request has an id in its workload's lane ({subscription}:{group}:{workload}:...); the
        // Durable extension escapes it in the management URLs.
        Assert.StartsWith("00000000-0000-0000-0000-00000000c0de:rg-sandbox:web:", id, StringComparison.Ordinal);
        Assert.Equal($"http://localhost:7071/runtime/webhooks/durabletask/instances/{Uri.EscapeDataString(id)}", status);
        Assert.Equal(status, answer.Headers.Location.ToString());
        Assert.Equal($"{status}/raiseEvent/{{eventName}}", (string?)payload["sendEventPostUri"]);
        Assert.Equal($"{status}/terminate?reason={{text}}", (string?)payload["terminatePostUri"]);
        Assert.Equal(status, (string?)payload["purgeHistoryDeleteUri"]);
        Assert.NotNull(payload["suspendPostUri"]);
        Assert.NotNull(payload["resumePostUri"]);

        var instance = await fixture.Client.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.NotNull(instance);
        Assert.Equal(nameof(ProvisionWorkload), instance.Name);
        var input = instance.ReadInputAs<ProvisioningInput>()!;
        Assert.Equal("rg-sandbox", input.Template.Workload.ResourceId.ResourceGroupName);
        Assert.Equal(fixture.Arm.SubscriptionId, input.Template.Workload.ResourceId.SubscriptionId);
        Assert.Equal(TimeSpan.FromMilliseconds(200), input.Timings!.OperationPollInterval);
    }

    [Fact]
    public async Task A_start_with_the_id_of_a_run_still_going_is_409()
    {
        var first = await StartAsync("web", "web-release-7", StartBody);
        var second = await StartAsync("web", "web-release-7", StartBody);

        Assert.Equal(202, first.Status);
        Assert.Equal("web-release-7", (string?)first.Json["id"]);
        Assert.Equal(409, second.Status);
        Assert.Equal("application/problem+json", second.Context.Response.ContentType);
    }

    public static TheoryData<string, string, int, string> BadStarts => new()
    {
        { "nosuch", StartBody, 404, "Known templates: build-task, " },
        { "web", """{"parameters":{"image":"x"}}""", 400, "resourceGroup" },
        { "web", """{"resourceGroup":"rg sandbox!"}""", 400, "not a valid resource group name" },
        { "web", """{"resourceGroup":"rg-sandbox","subscriptionId":"abc"}""", 400, "subscription GUID" },
        { "web", """{"resourceGroup":"rg-sandbox","parameters":{"registryName":"sandboxacr"}}""", 400, "image" },
        { "web", """{"resourceGroup":"rg-sandbox","parameters":{"image":"x","registryName":"sandboxacr","surprise":1}}""", 400, "surprise" },
        { "web", "{", 400, "not valid JSON" },
        { "web", string.Empty, 400, "needs a JSON body" },
    };

    [Theory]
    [MemberData(nameof(BadStarts))]
    public async Task A_bad_start_is_refused_with_a_reason_and_starts_nothing(string template, string body, int expected, string named)
    {
        var before = await InstanceCountAsync();

        var answer = await StartAsync(template, null, body);

        Assert.Equal(expected, answer.Status);
        Assert.Contains(named, answer.Body, StringComparison.Ordinal);
        Assert.Equal(before, await InstanceCountAsync());
    }

    [Fact]
    public async Task Parameters_the_template_refuses_are_listed_one_error_per_field()
    {
        var answer = await StartAsync("web", null, """{"resourceGroup":"rg-sandbox","parameters":{"registryName":"sandboxacr"}}""");

        Assert.Equal(400, answer.Status);
        Assert.Equal("The parameters do not fit the template", (string?)answer.Json["title"]);
        var error = Assert.Single(answer.Json["errors"]!.AsArray())!;
        Assert.Contains("image", (string?)error["field"], StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty((string?)error["fix"]));
    }

    [Fact]
    public async Task The_templates_function_lists_the_shipped_templates_with_their_parameters()
    {
        var exchange = HttpExchange.Create("GET", "/api/templates?code=key", body: null, contentType: null);

        var answer = await exchange.AnswerAsync(fixture.Provisioning.ListTemplates(exchange.Request));

        Assert.Equal(200, answer.Status);
        var web = Assert.Single(answer.Json.AsArray(), template => (string?)template!["name"] == "web")!;
        Assert.Contains(web["parameters"]!.AsArray(), parameter => (string?)parameter!["name"] == "image" && (bool)parameter["required"]! && (string?)parameter["type"] == "String");
    }
}
