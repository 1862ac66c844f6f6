using System.Net;
using System.Text.Json.Nodes;

namespace Provisioning.Host.Tests.Doors;

/// <summary>Issue 16 §4: per-client rate limits (429 + Retry-After) and keys rotated without a restart.</summary>
public sealed class RateLimitAndKeyTests
{
    [Fact]
    public async Task Over_a_tiny_limit_the_webhook_and_the_start_apis_answer_429_with_retry_after()
    {
        var host = await LoopbackHost.StartAsync(
            null,

            // The sandbox's own event subscription would spend the webhook's tokens from the same loopback address.
            "--Provisioning:Sandbox:SubscribeEvents", "false",
            "--Provisioning:RateLimits:Webhook:TokenLimit", "2",
            "--Provisioning:RateLimits:Webhook:TokensPerPeriod", "1",
            "--Provisioning:RateLimits:Webhook:ReplenishmentPeriod", "00:01:00",
            "--Provisioning:RateLimits:Start:TokenLimit", "2",
            "--Provisioning:RateLimits:Start:TokensPerPeriod", "1",
            "--Provisioning:RateLimits:Start:ReplenishmentPeriod", "00:01:00");
        try
        {
            var webhook = new List<HttpStatusCode>();
            for (var i = 0; i < 3; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Options, $"/runtime/webhooks/eventgrid?functionName=ProvisioningEvents&code={LoopbackHost.SystemKey}");
                request.Headers.Add("WebHook-Request-Origin", "eventgrid.azure.net");
                using var response = await host.Http.SendAsync(request);
                webhook.Add(response.StatusCode);
                if (i == 2)
                {
                    AssertThrottled(response);
                }
            }

            var start = new List<HttpStatusCode>();
            for (var i = 0; i < 3; i++)
            {
                // An unknown orchestrator: 400 until the limit, then 429 before the request is even read.
                using var response = await host.Http.PostAsync(LoopbackHost.Webhook("orchestrators/NoSuchOrchestrator"), LoopbackHost.Json("{}"));
                start.Add(response.StatusCode);
                if (i == 2)
                {
                    AssertThrottled(response);
                }
            }

            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], webhook);
            Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], start);

            // Other routes are not limited.
            using var status = await host.Http.GetAsync(LoopbackHost.Webhook("instances"));
            Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        }
        finally
        {
            await host.DisposeAsync();
            host.DeleteData();
        }
    }

    private static void AssertThrottled(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.True(retryAfter >= TimeSpan.FromSeconds(1), $"Retry-After {retryAfter}");
    }

    [Fact]
    public async Task A_key_rotated_in_the_keys_file_applies_without_a_restart()
    {
        var data = Path.Combine(Path.GetTempPath(), "provisioning-host-tests", Guid.NewGuid().ToString("N"));

        // No keys in the settings: they come from keys.json in the data folder.
        var host = await LoopbackHost.StartAsync(data, "--Provisioning:Keys:SystemKey", string.Empty, "--Provisioning:Keys:FunctionKey", string.Empty);
        try
        {
            var path = Path.Combine(data, "keys.json");
            var old = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
            var oldSystem = (string)old["systemKey"]!;
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, oldSystem));

            var rotated = new JsonObject { ["functionKey"] = "rotated-function-key", ["systemKey"] = "rotated-system-key" };
            var temporary = path + ".new";
            await File.WriteAllTextAsync(temporary, rotated.ToJsonString());
            File.Move(temporary, path, overwrite: true);

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (await StatusAsync(host, "rotated-system-key") != HttpStatusCode.OK)
            {
                await Task.Delay(100, timeout.Token);
            }

            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(host, oldSystem));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, "rotated-system-key"));

            // The check-status payload names the new key too.
            using var start = await host.Http.PostAsync("/runtime/webhooks/durabletask/orchestrators/HelloSequence/rotated-1?code=rotated-system-key", LoopbackHost.Json("""{"cities":["Lima"]}"""));
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
            var started = JsonNode.Parse(await start.Content.ReadAsStringAsync())!;
            Assert.Contains("code=rotated-system-key", (string?)started["statusQueryGetUri"], StringComparison.Ordinal);
        }
        finally
        {
            await host.DisposeAsync();
            host.DeleteData();
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(LoopbackHost host, string key)
    {
        using var response = await host.Http.GetAsync($"/admin/host/status?code={Uri.EscapeDataString(key)}");
        return response.StatusCode;
    }
}
