using System.Text.Json.Nodes;
using Provisioning.Secrets;

namespace Provisioning.Tests.Secrets;

public sealed class SecretFieldsTests
{
    private const string EnvironmentSecrets = "properties.containers[*].properties.environmentVariables[*].secureValue";

    private static JsonObject Body() => JsonNode.Parse("""
        {
          "location": "westeurope",
          "properties": {
            "containers": [
              { "name": "web", "properties": { "image": "a.azurecr.io/web:1", "environmentVariables": [
                { "name": "MODE", "value": "production" },
                { "name": "API_KEY", "secureValue": "api-key-secret" },
                { "name": "DB", "secureValue": "db-password-secret" } ] } },
              { "name": "sidecar", "properties": { "image": "a.azurecr.io/side:1" } },
              { "name": "worker", "properties": { "image": "a.azurecr.io/worker:1", "environmentVariables": [
                { "name": "TOKEN", "SecureValue": "worker-token-secret" }, { "name": "N", "secureValue": 42 } ] } }
            ],
            "volumes": [ { "name": "certs", "secret": { "tls.key": "a2V5LXNlY3JldA==", "tls.crt": "Y2VydA==" } } ],
            "osType": "Linux"
          }
        }
        """)!.AsObject();

    [Fact]
    public void Protects_every_string_at_the_paths_in_a_copy_and_nothing_else()
    {
        using var keys = new KeyRing();
        var protector = keys.NewProtector();
        var body = Body();

        var protectedBody = SecretFields.ProtectPaths(body, [EnvironmentSecrets, "properties.volumes[*].secret.*"], protector);

        var text = protectedBody.ToJsonString();
        foreach (var secret in new[] { "api-key-secret", "db-password-secret", "worker-token-secret", "a2V5LXNlY3JldA==", "Y2VydA==" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
        var web = protectedBody["properties"]!["containers"]![0]!["properties"]!["environmentVariables"]!;
        Assert.Equal("production", web[0]!["value"]!.GetValue<string>());
        Assert.True(protector.IsProtected(web[1]!["secureValue"]!.GetValue<string>()));
        // Property names match as ARM matches them, case-insensitively; a non-string stays as it is.
        var worker = protectedBody["properties"]!["containers"]![2]!["properties"]!["environmentVariables"]!;
        Assert.True(protector.IsProtected(worker[0]!["SecureValue"]!.GetValue<string>()));
        Assert.Equal(42, worker[1]!["secureValue"]!.GetValue<int>());
        Assert.Equal("a.azurecr.io/web:1", protectedBody["properties"]!["containers"]![0]!["properties"]!["image"]!.GetValue<string>());
        // The input is not changed.
        Assert.True(JsonNode.DeepEquals(Body(), body));
        // And everything comes back.
        Assert.True(JsonNode.DeepEquals(body, SecretFields.UnprotectAll(protectedBody, protector)));
    }

    [Fact]
    public void Protecting_twice_changes_nothing_and_missing_parts_are_skipped()
    {
        using var keys = new KeyRing();
        var protector = keys.NewProtector();
        var once = SecretFields.ProtectPaths(Body(), SecretFields.ContainerGroup, protector);

        var twice = SecretFields.ProtectPaths(once, SecretFields.ContainerGroup, protector);

        Assert.True(JsonNode.DeepEquals(once, twice));
        var bare = new JsonObject { ["location"] = "westeurope", ["properties"] = new JsonObject { ["containers"] = "not an array" } };
        Assert.True(JsonNode.DeepEquals(bare, SecretFields.ProtectPaths(bare, SecretFields.ContainerGroup, protector)));
    }

    [Fact]
    public void UnprotectAll_finds_tokens_anywhere_and_leaves_other_strings()
    {
        using var keys = new KeyRing();
        var protector = keys.NewProtector();
        var input = new JsonObject
        {
            ["a"] = protector.Protect("one"),
            ["b"] = new JsonArray(protector.Protect("two"), "plain", 3),
            ["c"] = new JsonObject { ["d"] = protector.Protect("three") },
        };

        var plain = SecretFields.UnprotectAll(input, protector)!;

        Assert.Equal("""{"a":"one","b":["two","plain",3],"c":{"d":"three"}}""", plain.ToJsonString());
        Assert.NotSame(input, SecretFields.UnprotectAll(new JsonObject { ["x"] = "y" }, protector));
        Assert.Null(SecretFields.UnprotectAll(null, protector));
    }

    [Fact]
    public void UnprotectAll_with_another_key_ring_fails_naming_the_key_ring()
    {
        using var before = new KeyRing();
        var body = SecretFields.ProtectPaths(Body(), [EnvironmentSecrets], before.NewProtector());
        using var after = new KeyRing();

        var error = Assert.Throws<SecretUnprotectException>(() => SecretFields.UnprotectAll(body, after.NewProtector()));

        Assert.Contains("key ring", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("properties..containers")]
    [InlineData("properties.containers[0].name")]
    [InlineData("properties.containers[*]x.name")]
    public void A_malformed_path_is_refused_naming_it(string path)
    {
        using var keys = new KeyRing();

        var error = Assert.Throws<ArgumentException>(() => SecretFields.ProtectPaths(Body(), [path], keys.NewProtector()));

        Assert.Contains("path", error.Message, StringComparison.Ordinal);
    }
}
