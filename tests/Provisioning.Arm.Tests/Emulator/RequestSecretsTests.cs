using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Diagnostics;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging;
using Provisioning.Arm.Pipeline;
using Provisioning.Arm.Resources;
using Provisioning.ArmEmulator;
using Provisioning.ArmEmulator.Faults;

namespace Provisioning.Arm.Tests.Emulator;

/// <summary>
/// Protected secrets in request bodies reach ARM as plaintext (the emulator stores what it received, in its state
/// files), while nothing the client logs, Azure.Core's verbose events included, ever holds the plaintext.
/// </summary>
public sealed class RequestSecretsTests
{
    private const string Plaintext = "pl41ntext-Secret-7f3a9c";
    private const string Token = RequestBodySecrets.ProtectedPrefix + "opaque-payload-1";

    [Fact]
    public async Task A_protected_secureValue_is_sent_as_plaintext_and_logged_nowhere()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "provisioning-arm-secrets-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var server = await ArmEmulatorServer.StartAsync(new ArmEmulatorOptions
            {
                DataDirectory = dataDirectory,
                PersistState = true,
                Faults = new FaultSettings { ProvisioningDuration = TimeSpan.Zero, GrantPropagationDelay = TimeSpan.Zero, PrincipalReplicationDelay = TimeSpan.Zero },
            });
            var logs = new ListLoggerProvider();
            using var loggerFactory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
            var azureCoreEvents = new ConcurrentQueue<string>();
            using var listener = new AzureEventSourceListener((args, message) => azureCoreEvents.Enqueue(message + " " + string.Join(' ', args.Payload ?? [])), EventLevel.Verbose);
            var pipeline = Pipeline(server, loggerFactory, new TokenResolver());
            var group = ArmResourceId.ForResource(server.SubscriptionId, "apps", "Microsoft.ContainerInstance/containerGroups", "secret-web");
            await pipeline.SendAsync(RequestMethod.Put, ArmResourceId.ForResourceGroup(server.SubscriptionId, "apps").ToString(), "2024-11-01", new JsonObject { ["location"] = "westeurope" }, [200, 201], CancellationToken.None);

            var body = ContainerGroupBody(Token);
            var response = await pipeline.SendAsync(RequestMethod.Put, group.ToString(), ArmApiVersions.ContainerGroups, body, [200, 201], CancellationToken.None);

            Assert.Equal(201, response.Status);
            // The caller's body is not changed: it still holds the token, not the plaintext.
            Assert.Equal(Token, body["properties"]!["containers"]![0]!["properties"]!["environmentVariables"]![1]!["secureValue"]!.GetValue<string>());
            var stored = StateText(server.StateDirectory!);
            Assert.Contains(Plaintext, stored, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, stored, StringComparison.Ordinal);
            Assert.Contains("plain-value", stored, StringComparison.Ordinal);
            Assert.NotEmpty(azureCoreEvents);
            Assert.Contains(azureCoreEvents, message => message.Contains("containerGroups", StringComparison.Ordinal));
            Assert.DoesNotContain(azureCoreEvents, message => message.Contains(Plaintext, StringComparison.Ordinal));
            Assert.NotEmpty(logs.Messages);
            Assert.DoesNotContain(logs.Messages, message => message.Contains(Plaintext, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Without_a_resolver_a_protected_value_is_refused_before_anything_is_sent()
    {
        await using var env = await EmulatorEnvironment.StartAsync();
        await env.CreateResourceGroupAsync("apps");
        using var loggerFactory = LoggerFactory.Create(_ => { });
        var pipeline = Pipeline(env.Server, loggerFactory, resolver: null);
        var before = env.Server.GetRequestLog().Count;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.SendAsync(
            RequestMethod.Put,
            ArmResourceId.ForResource(env.SubscriptionId, "apps", "Microsoft.ContainerInstance/containerGroups", "secret-web").ToString(),
            ArmApiVersions.ContainerGroups,
            ContainerGroupBody(Token),
            [200, 201],
            CancellationToken.None));

        Assert.Contains("no secret resolver", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, env.Server.GetRequestLog().Count);
    }

    [Fact]
    public void A_client_with_a_resolver_refuses_content_logging()
    {
        var options = new ArmClientOptions { SecretResolver = new TokenResolver() };
        Assert.False(options.Diagnostics.IsLoggingContentEnabled);
        options.Diagnostics.IsLoggingContentEnabled = true;

        var error = Assert.Throws<ArgumentException>(() => new ProvisioningArmClient(new DevelopmentTokenCredential("token", TimeProvider.System), options));

        Assert.Contains("IsLoggingContentEnabled", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_copies_only_bodies_with_protected_values_and_keeps_everything_else()
    {
        var plain = new JsonObject { ["a"] = new JsonArray(1, "x", null, true), ["b"] = "protected-but-not-a-token" };
        Assert.Same(plain, RequestBodySecrets.Resolve(plain, new TokenResolver()));

        var body = new JsonObject { ["a"] = new JsonArray(1, Token, null), ["b"] = new JsonObject { ["c"] = Token, ["d"] = 2.5 } };
        var resolved = RequestBodySecrets.Resolve(body, new TokenResolver())!;

        Assert.Equal("""{"a":[1,"pl41ntext-Secret-7f3a9c",null],"b":{"c":"pl41ntext-Secret-7f3a9c","d":2.5}}""", resolved.ToJsonString());
        Assert.Equal(Token, body["b"]!["c"]!.GetValue<string>());
        Assert.Null(RequestBodySecrets.Resolve(null, null));
    }

    private static JsonObject ContainerGroupBody(string secureValue) => new()
    {
        ["location"] = "westeurope",
        ["properties"] = new JsonObject
        {
            ["osType"] = "Linux",
            ["restartPolicy"] = "Always",
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = "web",
                ["properties"] = new JsonObject
                {
                    ["image"] = "mcr.microsoft.com/azuredocs/aci-helloworld:latest",
                    ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = 1, ["memoryInGB"] = 1.5 } },
                    ["environmentVariables"] = new JsonArray(
                        new JsonObject { ["name"] = "MODE", ["value"] = "plain-value" },
                        new JsonObject { ["name"] = "API_KEY", ["secureValue"] = secureValue }),
                },
            }),
        },
    };

    private static ArmPipeline Pipeline(ArmEmulatorServer server, ILoggerFactory loggerFactory, IRequestSecretResolver? resolver)
    {
        var options = new ArmClientOptions { Endpoint = server.BaseUri, Transport = PinnedCertificateTransport.Create(server.Certificate), SecretResolver = resolver };
        options.Retry.MaxRetries = 0;
        return new ArmPipeline(
            HttpPipelineBuilder.Build(options, [], [new BearerTokenAuthenticationPolicy(new DevelopmentTokenCredential(server.DevelopmentToken, TimeProvider.System), options.TokenScope)], new ResponseClassifier()),
            server.BaseUri,
            loggerFactory.CreateLogger("arm"),
            resolver);
    }

    // What the emulator keeps of its resources: the snapshot and journals in its state folder.
    private static string StateText(string stateDirectory) =>
        string.Join('\n', Directory.EnumerateFiles(stateDirectory, "*", SearchOption.AllDirectories)
            .Where(path => !path.EndsWith("lock", StringComparison.Ordinal))
            .Select(path => Encoding.UTF8.GetString(File.ReadAllBytes(path))));

    // The seam's test double: the domain's resolver is Data Protection (tested in Provisioning.Tests); here only the
    // pipeline's use of the seam is under test, so tokens map to a known plaintext.
    private sealed class TokenResolver : IRequestSecretResolver
    {
        public bool IsProtected(string value) => value.StartsWith(RequestBodySecrets.ProtectedPrefix, StringComparison.Ordinal);

        public string Unprotect(string token) => token == Token ? Plaintext : throw new InvalidOperationException("unknown token");
    }

    private sealed class ListLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new ListLogger(Messages);

        public void Dispose()
        {
        }

        private sealed class ListLogger(ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue(formatter(state, exception) + " " + exception);
        }
    }
}
