using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Provisioning.Host.Tests.Durable;

/// <summary>
/// The self-hosted host configured with the gRPC backend runs on the official Durable Task sidecar: nothing in
/// the product needs the embedded engine.
/// </summary>
public sealed class GrpcBackendTests
{
    private const string StartBody = """{"resourceGroup":"rg-sandbox","parameters":{"image":"sandboxacr.azurecr.io/hello/web:1.0","registryName":"sandboxacr"}}""";

    [Fact]
    public async Task A_host_on_the_official_sidecar_provisions_the_sample_template_and_reports_it_through_the_status_api()
    {
        await using var sidecar = await DurableTaskSidecar.StartAsync();
        var host = await LoopbackHost.StartAsync(
            null,
            "--Provisioning:Durable:Backend", "Grpc",
            "--Provisioning:Durable:GrpcAddress", sidecar.Address.ToString(),
            "--Provisioning:Sandbox:GrantPropagationDelay", "00:00:01",
            "--Provisioning:Timings:ReadinessFirstInterval", "00:00:00.5",
            "--Provisioning:Timings:OperationPollInterval", "00:00:00.2");
        try
        {
            using var response = await host.Http.PostAsync($"/api/provisioning/web?code={LoopbackHost.FunctionKey}", LoopbackHost.Json(StartBody));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var started = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

            var status = await host.WaitForFinishAsync((string)started["statusQueryGetUri"]!);

            Assert.Equal("Completed", (string?)status["runtimeStatus"]);
            Assert.Equal("Succeeded", (string?)status["customStatus"]!["phase"]);
            Assert.EndsWith("/containerGroups/web", (string?)status["output"]!["workloadId"], StringComparison.Ordinal);
        }
        finally
        {
            await host.DisposeAsync();
            host.DeleteData();
        }
    }

    [Fact]
    public async Task The_grpc_backend_without_an_address_refuses_to_start_and_says_what_to_set()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => LoopbackHost.StartAsync(null, "--Provisioning:Durable:Backend", "Grpc"));

        Assert.Contains("Provisioning__Durable__GrpcAddress", error.Message, StringComparison.Ordinal);
    }
}
