using Microsoft.DurableTask.Client;

namespace Provisioning.Functions.Tests;

/// <summary><c>POST /api/plan/{template}</c> and <c>POST /api/provisioning/{template}?whatIf=true</c>, called as the worker calls them.</summary>
public sealed class PlanHttpFunctionsTests(HttpFunctionsFixture fixture) : IClassFixture<HttpFunctionsFixture>
{
    private const string StartBody = """{"resourceGroup":"rg-sandbox","parameters":{"image":"sandboxacr.azurecr.io/hello/web:1.0","registryName":"sandboxacr"}}""";

    [Fact]
    public async Task The_plan_route_and_the_start_route_with_what_if_answer_the_plan_send_only_gets_and_start_nothing()
    {
        var runsBefore = await InstanceCountAsync();
        var logBefore = fixture.Arm.Emulator.GetRequestLog().Count;

        var plan = await AnswerAsync(HttpExchange.Create("POST", "/api/plan/web?code=key", StartBody), exchange => fixture.Plan.PlanProvisioning(exchange.Request, fixture.Client, "web", CancellationToken.None));
        var whatIf = await AnswerAsync(
            HttpExchange.Create("POST", "/api/provisioning/web?whatIf=true&code=key", StartBody),
            exchange => fixture.Provisioning.StartProvisioning(exchange.Request, fixture.Client, fixture.Context, "web", null, CancellationToken.None));

        foreach (var answer in new[] { plan, whatIf })
        {
            Assert.Equal(200, answer.Status);
            Assert.Equal("web", (string?)answer.Json["template"]);
            var items = answer.Json["items"]!.AsArray();
            Assert.Equal(["identity", "grant", "workload"], items.Select(item => (string?)item!["resource"]));
            Assert.All(items, item => Assert.Equal("Create", (string?)item!["action"]));
        }

        Assert.Equal(plan.Body, whatIf.Body);
        Assert.All(fixture.Arm.Emulator.GetRequestLog().Skip(logBefore), entry => Assert.Equal("GET", entry.Method));
        Assert.Equal(runsBefore, await InstanceCountAsync());
    }

    [Theory]
    [InlineData("nosuch", StartBody, 404, "Known templates: build-task, ")]
    [InlineData("web", """{"parameters":{"image":"x"}}""", 400, "resourceGroup")]
    [InlineData("web", """{"resourceGroup":"rg-sandbox","parameters":{"registryName":"sandboxacr"}}""", 400, "image")]
    [InlineData("web", "{", 400, "not valid JSON")]
    public async Task A_plan_of_a_bad_request_is_the_problem_a_start_would_answer(string template, string body, int status, string detail)
    {
        var plan = await AnswerAsync(HttpExchange.Create("POST", $"/api/plan/{template}?code=key", body), exchange => fixture.Plan.PlanProvisioning(exchange.Request, fixture.Client, template, CancellationToken.None));
        var start = await AnswerAsync(
            HttpExchange.Create("POST", $"/api/provisioning/{template}?code=key", body),
            exchange => fixture.Provisioning.StartProvisioning(exchange.Request, fixture.Client, fixture.Context, template, null, CancellationToken.None));

        Assert.Equal((status, "application/problem+json"), (plan.Status, plan.Context.Response.ContentType));
        Assert.Contains(detail, (string?)plan.Json["detail"], StringComparison.Ordinal);
        Assert.Equal((start.Status, (string?)start.Json["detail"]), (plan.Status, (string?)plan.Json["detail"]));
    }

    private static async Task<HttpExchange> AnswerAsync(HttpExchange exchange, Func<HttpExchange, Task<Microsoft.AspNetCore.Http.IResult>> function)
        => await exchange.AnswerAsync(await function(exchange));

    private async Task<int> InstanceCountAsync()
    {
        var count = 0;
        await foreach (var instance in fixture.Client.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 1000 }))
        {
            count++;
        }

        return count;
    }
}
