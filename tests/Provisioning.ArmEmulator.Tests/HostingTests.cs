using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Provisioning.ArmEmulator.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task Requests_without_bearer_get_401_AuthenticationFailed()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = TestEmulator.CreateClient(emulator.Server.Certificate);
        using var response = await client.GetAsync(new Uri(emulator.Server.BaseUri, $"{emulator.Sub}/resourcegroups?api-version=2024-03-01"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("AuthenticationFailed", await TestEmulator.ErrorCodeAsync(response));
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_token_gets_InvalidAuthenticationToken_and_issued_token_works()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = TestEmulator.CreateClient(emulator.Server.Certificate);
        client.BaseAddress = emulator.Server.BaseUri;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        using var refused = await client.GetAsync($"{emulator.Sub}/resourcegroups?api-version=2024-03-01");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("InvalidAuthenticationToken", await TestEmulator.ErrorCodeAsync(refused));

        using var tokenResponse = await client.PostAsync("/_emulator/token", null);
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("Bearer", token["token_type"]!.GetValue<string>());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token["access_token"]!.GetValue<string>());
        using var accepted = await client.GetAsync($"{emulator.Sub}/resourcegroups?api-version=2024-03-01");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task Certificate_is_persisted_and_reused_and_a_client_trusting_another_certificate_fails()
    {
        string first;
        await using (var one = await TestEmulator.StartAsync())
        {
            first = one.Server.Certificate.Thumbprint;
            Assert.StartsWith("https://127.0.0.1:", one.Server.BaseUri.ToString(), StringComparison.Ordinal);
        }

        await using var two = await TestEmulator.StartAsync();
        Assert.Equal(first, two.Server.Certificate.Thumbprint);

        using var other = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=other", other, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var otherCert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var untrusting = TestEmulator.CreateClient(otherCert);
        await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync(two.Server.BaseUri));
    }

    [Fact]
    public async Task Missing_and_unsupported_api_versions_answer_as_ARM_does()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");

        using var missing = await e.GetAsync($"{e.Sub}/resourcegroups/rg", null!);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("MissingApiVersionParameter", await TestEmulator.ErrorCodeAsync(missing));

        using var rgVersion = await e.GetAsync($"{e.Sub}/resourcegroups/rg", "2099-01-01");
        Assert.Equal(HttpStatusCode.BadRequest, rgVersion.StatusCode);
        var rgError = (await TestEmulator.JsonAsync(rgVersion))["error"]!;
        Assert.Equal("InvalidApiVersionParameter", rgError["code"]!.GetValue<string>());
        Assert.Contains("2024-03-01", rgError["message"]!.GetValue<string>(), StringComparison.Ordinal);

        using var idVersion = await e.PutAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1", "2099-01-01", """{"location":"westeurope"}""");
        Assert.Equal(HttpStatusCode.BadRequest, idVersion.StatusCode);
        var idError = (await TestEmulator.JsonAsync(idVersion))["error"]!;
        Assert.Equal("NoRegisteredProviderFound", idError["code"]!.GetValue<string>());
        Assert.Contains("The supported api-versions are '2015-08-31-preview, 2018-11-30, 2021-09-30-preview, 2022-01-31-preview, 2023-01-31, 2023-07-31-preview, 2024-11-30, 2025-01-31-preview, 2025-05-31-preview'.", idError["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("for type 'userAssignedIdentities'", idError["message"]!.GetValue<string>(), StringComparison.Ordinal);

        using var raVersion = await e.GetAsync($"{e.Sub}/providers/Microsoft.Authorization/roleAssignments", "2018-06-01");
        Assert.Equal(HttpStatusCode.NotFound, raVersion.StatusCode);
        var raError = (await TestEmulator.JsonAsync(raVersion))["error"]!;
        Assert.Equal("InvalidResourceType", raError["code"]!.GetValue<string>());
        Assert.Contains("The supported api-versions are '2015-07-01,2017-10-01-preview,2018-01-01-preview,2018-09-01-preview,2020-03-01-preview,2020-04-01-preview,2020-08-01-preview,2020-10-01-preview,2022-04-01'.", raError["message"]!.GetValue<string>(), StringComparison.Ordinal);

        using var unknownType = await e.GetAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/widgets/w", "2024-11-30");
        Assert.Equal(HttpStatusCode.NotFound, unknownType.StatusCode);
        Assert.Equal("InvalidResourceType", await TestEmulator.ErrorCodeAsync(unknownType));

        using var unknownNamespace = await e.GetAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.Nope/widgets/w", "2024-11-30");
        Assert.Equal("InvalidResourceNamespace", await TestEmulator.ErrorCodeAsync(unknownNamespace));

        using var otherSubscription = await e.GetAsync("/subscriptions/11111111-1111-1111-1111-111111111111/resourcegroups/rg", "2024-03-01");
        Assert.Equal(HttpStatusCode.NotFound, otherSubscription.StatusCode);
        Assert.Equal("SubscriptionNotFound", await TestEmulator.ErrorCodeAsync(otherSubscription));
    }

    [Fact]
    public async Task A_body_is_validated_against_the_schema_of_its_own_api_version()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");
        var principal = e.Server.AddPrincipal("ServicePrincipal").ObjectId;
        e.Time.Advance(TimeSpan.FromMinutes(1));
        var role = $"{e.Sub}/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d";
        var typed = "{\"properties\":{\"roleDefinitionId\":\"" + role + "\",\"principalId\":\"" + principal + "\",\"principalType\":\"ServicePrincipal\"}}";

        // principalType arrived in 2018-09-01-preview: 2015-07-01 does not know the member, 2022-04-01 does.
        using var old = await e.PutAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}", "2015-07-01", typed);
        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        var error = (await TestEmulator.JsonAsync(old))["error"]!;
        Assert.Equal("InvalidRequestContent", error["code"]!.GetValue<string>());
        Assert.Equal("properties.principalType", error["target"]!.GetValue<string>());
        using var current = await e.PutAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}", "2022-04-01", typed);
        Assert.Equal(HttpStatusCode.Created, current.StatusCode);
        var reader = $"{e.Sub}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7";
        var untyped = "{\"properties\":{\"roleDefinitionId\":\"" + reader + "\",\"principalId\":\"" + principal + "\"}}";
        using var oldShape = await e.PutAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}", "2015-07-01", untyped);
        Assert.Equal(HttpStatusCode.Created, oldShape.StatusCode);

        // The versions the official Python SDK defaults to are served.
        using var registry = await e.PutAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/pythonacr", "2021-09-01", """{"location":"westeurope","sku":{"name":"Basic"}}""");
        Assert.Equal(HttpStatusCode.Created, registry.StatusCode);
        using var environment = await e.PutAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.App/managedEnvironments/python-env", "2022-10-01", """{"location":"westeurope","properties":{}}""");
        Assert.Equal(HttpStatusCode.Created, environment.StatusCode);
        using var unknown = await e.GetAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/none", "2022-10-02-preview");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var unknownError = (await TestEmulator.JsonAsync(unknown))["error"]!;
        Assert.Equal("NoRegisteredProviderFound", unknownError["code"]!.GetValue<string>());
        Assert.Contains("2022-09-01, 2022-10-01-preview, 2023-02-01-preview", unknownError["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_endpoints_list_inventory_and_requests_with_api_versions_and_statuses()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");
        await e.CreateIdentityAsync("rg", "id1");
        using var notFound = await e.GetAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/nope", "2024-11-30");

        var inventory = (await e.Http.GetFromJsonAsync<JsonArray>("/_emulator/inventory"))!;
        Assert.Contains(inventory, i => i!["type"]!.GetValue<string>() == "Microsoft.ManagedIdentity/userAssignedIdentities");
        Assert.Equal(2, inventory.Count);

        var requests = (await e.Http.GetFromJsonAsync<JsonArray>("/_emulator/requests"))!;
        Assert.Equal(3, requests.Count);
        var last = requests[^1]!;
        Assert.Equal("GET", last["method"]!.GetValue<string>());
        Assert.Equal("2024-11-30", last["apiVersion"]!.GetValue<string>());
        Assert.Equal(404, last["status"]!.GetValue<int>());
        Assert.Equal("ResourceNotFound", last["errorCode"]!.GetValue<string>());
        Assert.Equal(3, e.Server.GetRequestLog().Count);

        using var clear = await e.Http.DeleteAsync("/_emulator/requests");
        Assert.Empty(e.Server.GetRequestLog());
    }

    [Fact]
    public async Task Subscription_providers_and_HEAD_existence_checks_answer_like_ARM()
    {
        await using var e = await TestEmulator.StartAsync();
        var subscription = await TestEmulator.JsonAsync(await e.GetAsync(e.Sub, "2022-12-01"));
        Assert.Equal(e.Server.TenantId, subscription["tenantId"]!.GetValue<string>());
        var list = await TestEmulator.JsonAsync(await e.GetAsync("/subscriptions", "2022-12-01"));
        Assert.Single(list["value"]!.AsArray());

        var provider = await TestEmulator.JsonAsync(await e.GetAsync($"{e.Sub}/providers/Microsoft.ContainerInstance", "2021-04-01"));
        Assert.Equal("Registered", provider["registrationState"]!.GetValue<string>());
        var types = provider["resourceTypes"]!.AsArray();
        var groups = Assert.Single(types, t => t!["resourceType"]!.GetValue<string>() == "containerGroups")!;
        Assert.Contains(groups["apiVersions"]!.AsArray(), v => v!.GetValue<string>() == "2023-05-01");
        using var unknown = await e.GetAsync($"{e.Sub}/providers/Microsoft.Nope", "2021-04-01");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        using var missing = await e.SendAsync(HttpMethod.Head, $"{e.Sub}/resourcegroups/rg", "2024-03-01", null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await e.CreateGroupAsync("rg");
        using var exists = await e.SendAsync(HttpMethod.Head, $"{e.Sub}/resourcegroups/rg", "2024-03-01", null);
        Assert.Equal(HttpStatusCode.NoContent, exists.StatusCode);
    }
}
