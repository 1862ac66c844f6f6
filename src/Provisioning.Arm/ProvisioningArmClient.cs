using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Provisioning.Arm.Authorization;
using Provisioning.Arm.Compute;
using Provisioning.Arm.ContainerApps;
using Provisioning.Arm.ContainerInstance;
using Provisioning.Arm.ContainerRegistry;
using Provisioning.Arm.Identities;
using Provisioning.Arm.KeyVault;
using Provisioning.Arm.Operations;
using Provisioning.Arm.Pipeline;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm;

/// <summary>
/// The typed ARM operations this project uses, over one Azure.Core <see cref="HttpPipeline"/> (bearer token,
/// retries honouring <c>Retry-After</c> for 408/429/5xx, logging). Create it with <see cref="ForAzure"/> or
/// <see cref="ForSandbox"/>; it is thread-safe and meant to be shared.
/// </summary>
public sealed class ProvisioningArmClient
{
    /// <summary>Creates a client with a credential and options.</summary>
    /// <param name="credential">The credential for ARM tokens.</param>
    /// <param name="options">Endpoint, retries, transport.</param>
    /// <param name="loggerFactory">Logging, or null for none.</param>
    /// <param name="timeProvider">The clock, or null for the system clock.</param>
    public ProvisioningArmClient(TokenCredential credential, ArmClientOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(options);
        loggerFactory ??= NullLoggerFactory.Instance;
        timeProvider ??= TimeProvider.System;
        if (options.SecretResolver is not null && options.Diagnostics.IsLoggingContentEnabled)
        {
            throw new ArgumentException(
                "ArmClientOptions.Diagnostics.IsLoggingContentEnabled is on while a SecretResolver is set: Azure.Core would log request bodies with their secrets in plaintext. Turn content logging off.",
                nameof(options));
        }
        var pipeline = HttpPipelineBuilder.Build(options, [], [new BearerTokenAuthenticationPolicy(credential, options.TokenScope)], new ResponseClassifier());
        var arm = new ArmPipeline(pipeline, options.Endpoint, loggerFactory.CreateLogger<ProvisioningArmClient>(), options.SecretResolver);
        Endpoint = options.Endpoint;
        Identities = new UserAssignedIdentityClient(arm);
        RoleAssignments = new RoleAssignmentClient(arm, loggerFactory.CreateLogger<RoleAssignmentClient>());
        Resources = new ArmResourceClient(arm, timeProvider, loggerFactory.CreateLogger<ArmResourceClient>());
        ContainerGroups = new ContainerGroupClient(Resources);
        Registries = new RegistryClient(arm);
        RegistryTasks = new RegistryTaskClient(arm, timeProvider, loggerFactory.CreateLogger<RegistryTaskClient>());
        ResourceGroups = new ResourceGroupClient(arm);
        ContainerApps = new ContainerAppClient(arm);
        VirtualMachines = new VirtualMachineClient(arm);
        KeyVaults = new KeyVaultClient(arm);
        Lists = new ArmListClient(arm);
    }

    /// <summary>The ARM endpoint requests go to.</summary>
    public Uri Endpoint { get; }

    /// <summary>Any resource: read, begin create-or-update or delete at an api-version, and poll long-running operations.</summary>
    public ArmResourceClient Resources { get; }

    /// <summary>User-assigned identities.</summary>
    public UserAssignedIdentityClient Identities { get; }

    /// <summary>Role assignments.</summary>
    public RoleAssignmentClient RoleAssignments { get; }

    /// <summary>Container groups.</summary>
    public ContainerGroupClient ContainerGroups { get; }

    /// <summary>Container registries.</summary>
    public RegistryClient Registries { get; }

    /// <summary>ACR tasks and their runs.</summary>
    public RegistryTaskClient RegistryTasks { get; }

    /// <summary>Resource groups.</summary>
    public ResourceGroupClient ResourceGroups { get; }

    /// <summary>Container apps, their revisions and managed environments.</summary>
    public ContainerAppClient ContainerApps { get; }

    /// <summary>Virtual machines (read for their identities).</summary>
    public VirtualMachineClient VirtualMachines { get; }

    /// <summary>Key vaults (read for their mode) and their access policies.</summary>
    public KeyVaultClient KeyVaults { get; }

    /// <summary>Whole collections (a type in a subscription, a subscription's role assignments), page by page.</summary>
    public ArmListClient Lists { get; }

    /// <summary>A client for Azure, authenticated with <see cref="DefaultAzureCredential"/>.</summary>
    /// <param name="options">Options, or null for public Azure with the default retries.</param>
    /// <param name="loggerFactory">Logging, or null for none.</param>
    /// <param name="timeProvider">The clock, or null for the system clock.</param>
    public static ProvisioningArmClient ForAzure(ArmClientOptions? options = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null) =>
        new(new DefaultAzureCredential(), options ?? new ArmClientOptions(), loggerFactory, timeProvider);

    /// <summary>
    /// A client for the ARM emulator: its base URI, its development token, and a transport that trusts
    /// exactly the emulator's certificate.
    /// </summary>
    /// <param name="sandbox">The emulator's endpoint, certificate and token.</param>
    /// <param name="options">Options (retries); endpoint and transport are set from <paramref name="sandbox"/>.</param>
    /// <param name="loggerFactory">Logging, or null for none.</param>
    /// <param name="timeProvider">The clock, or null for the system clock.</param>
    public static ProvisioningArmClient ForSandbox(SandboxEndpoint sandbox, ArmClientOptions? options = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        options ??= new ArmClientOptions();
        options.Endpoint = sandbox.BaseUri;
        options.Transport = PinnedCertificateTransport.Create(sandbox.Certificate);
        return new ProvisioningArmClient(new DevelopmentTokenCredential(sandbox.DevelopmentToken, timeProvider ?? TimeProvider.System), options, loggerFactory, timeProvider);
    }
}
