using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Provisioning.ArmEmulator.Admin;
using Provisioning.ArmEmulator.App;
using Provisioning.ArmEmulator.Arm;
using Provisioning.ArmEmulator.Authorization;
using Provisioning.ArmEmulator.Compute;
using Provisioning.ArmEmulator.ContainerInstance;
using Provisioning.ArmEmulator.ContainerRegistry;
using Provisioning.ArmEmulator.EventGrid;
using Provisioning.ArmEmulator.Faults;
using Provisioning.ArmEmulator.Hosting;
using Provisioning.ArmEmulator.KeyVault;
using Provisioning.ArmEmulator.ManagedIdentity;
using Provisioning.ArmEmulator.State;
using Provisioning.ArmEmulator.Validation;

namespace Provisioning.ArmEmulator;

/// <summary>
/// The ARM emulator, hosted in-process on loopback HTTPS. Start it with <see cref="StartAsync"/>, point an
/// <see cref="HttpClient"/> (trusting exactly <see cref="Certificate"/>, sending <c>Bearer</c>
/// <see cref="DevelopmentToken"/>) at <see cref="BaseUri"/>, and dispose it when done.
/// </summary>
public sealed class ArmEmulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EmulatorContext _context;
    private readonly TokenIssuer _tokens;
    private readonly RequestLog _log;
    private readonly RegistryDataPlane _registries;
    private readonly EventDeliverer _deliverer;

    private ArmEmulatorServer(WebApplication app, EmulatorContext context, TokenIssuer tokens, RequestLog log, RegistryDataPlane registries, EventDeliverer deliverer, X509Certificate2 certificate, string dataDirectory, string certificatePath)
    {
        _app = app;
        _context = context;
        _tokens = tokens;
        _log = log;
        _registries = registries;
        _deliverer = deliverer;
        Certificate = certificate;
        DataDirectory = dataDirectory;
        CertificatePath = certificatePath;
    }

    /// <summary>The data folder (certificate, token file, and the saved state when <see cref="ArmEmulatorOptions.PersistState"/>).</summary>
    public string DataDirectory { get; }

    /// <summary>The certificate as a PEM file (<c>arm-emulator.pem</c> in the data folder), for clients in other processes.</summary>
    public string CertificatePath { get; }

    /// <summary>The file holding <see cref="DevelopmentToken"/> (<c>arm-emulator.token</c> in the data folder).</summary>
    public string TokenPath => Path.Combine(DataDirectory, EmulatorFiles.TokenFile);

    /// <summary>Where the emulated Azure is saved, or null when it lives in memory only.</summary>
    public string? StateDirectory => _context.Persistence.Directory;

    /// <summary>The base address, <c>https://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseUri => _context.BaseUri;

    /// <summary>The server certificate; a client must trust exactly this certificate.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>A bearer token the emulator accepts for its lifetime.</summary>
    public string DevelopmentToken => _tokens.DevelopmentToken;

    /// <summary>The subscription the emulator serves.</summary>
    public string SubscriptionId => _context.SubscriptionId;

    /// <summary>The tenant of every principal.</summary>
    public string TenantId => _context.TenantId;

    /// <summary>The faults in force (changeable at run time, same as <c>PUT /_emulator/faults</c>).</summary>
    public EmulatorFaults Faults => _context.Faults;

    /// <summary>Event Grid subscriptions to the emulator's events (same as <c>/_emulator/eventSubscriptions</c>).</summary>
    public EventSubscriptions EventSubscriptions => _deliverer.Subscriptions;

    /// <summary>Starts the emulator on loopback (restoring its saved state first when <see cref="ArmEmulatorOptions.PersistState"/>).</summary>
    /// <exception cref="InvalidOperationException">The state folder is held by another emulator, or its state cannot be read.</exception>
    public static async Task<ArmEmulatorServer> StartAsync(ArmEmulatorOptions? options = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        options ??= new ArmEmulatorOptions();
        var time = timeProvider ?? TimeProvider.System;
        SchemaCatalog.Warm();
        var dataDirectory = Path.GetFullPath(options.DataDirectory ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "provisioning-arm-emulator"));
        var persistence = options.PersistState
            ? StatePersistence.Open(Path.Combine(dataDirectory, "state"), options.StateCompactionBytes)
            : StatePersistence.InMemory();
        WebApplication? app = null;
        try
        {
            var certificate = EmulatorCertificate.LoadOrCreate(dataDirectory, TimeProvider.System);
            var certificatePath = EmulatorCertificate.WritePem(dataDirectory, certificate);
            var developmentToken = EmulatorFiles.LoadOrCreateToken(dataDirectory);

            // Clients keep the operation URLs they were given: an emulator that keeps its state keeps its address too.
            var port = options.Port == 0 && persistence.Enabled ? EmulatorFiles.PreviousPortIfFree(dataDirectory) : options.Port;

            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            if (options.LogRequests)
            {
                builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
                builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
            }

            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(certificate));
            });

            app = builder.Build();
            var loggers = app.Services.GetRequiredService<ILoggerFactory>();
            var context = new EmulatorContext(options, time, loggers, persistence);
            var tokens = new TokenIssuer(time, developmentToken);
            var log = new RequestLog(options.RequestLogCapacity);
            var registries = new RegistryDataPlane(context);
            var deliverer = new EventDeliverer(context, certificate);
            var runs = new RunScheduler(context, registries);
            ResourceTypeHandler[] handlers =
            [
                new UserAssignedIdentityHandler(context),
                new RoleDefinitionHandler(context),
                new RoleAssignmentHandler(context),
                new RegistryHandler(context, runs),
                new RegistryTaskHandler(context),
                new RunHandler(context, runs),
                new ContainerGroupHandler(context),
                new ContainerLogHandler(context),
                new ManagedEnvironmentHandler(context),
                new ContainerAppHandler(context),
                new ContainerAppRevisionHandler(context),
                new VaultHandler(context),
                new VirtualMachineHandler(context),
                new AccessPolicyHandler(context),
                new EventSubscriptionHandler(context, deliverer.Subscriptions),
            ];
            var dispatcher = new ArmDispatcher(context, handlers);
            persistence.Register(context.Store);
            persistence.Register(context.Directory);
            persistence.Register(context.Operations);
            persistence.Register(deliverer.Subscriptions);
            persistence.Register(deliverer);
            persistence.Register(runs);
            lock (context.Store.Sync)
            {
                persistence.Load(context.Logger);
            }

            var endpoint = new ArmEndpoint(context, dispatcher, tokens, log, new Throttle(time));
            var server = new ArmEmulatorServer(app, context, tokens, log, registries, deliverer, certificate, dataDirectory, certificatePath);
            app.Use((http, next) => http.Request.Path.StartsWithSegments("/_emulator", StringComparison.OrdinalIgnoreCase) ? next(http) : endpoint.HandleAsync(http));
            app.UseRouting();
            AdminEndpoints.Map(app, server, tokens, registries);

            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var listening = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)).Port;
            context.BaseUri = new Uri($"https://127.0.0.1:{listening}/");

            // What was pending when the emulator stopped goes on: operations complete at their due time, deliveries are
            // attempted again, handshakes cut short run again.
            lock (context.Store.Sync)
            {
                context.Operations.Resume();
            }

            deliverer.Start();
            deliverer.Subscriptions.ResumeHandshakes(server.Stopping);
            if (persistence.Enabled)
            {
                EmulatorFiles.WriteEndpoint(dataDirectory, context.BaseUri, context.SubscriptionId, context.TenantId, certificatePath, persistence.Directory);
            }

            return server;
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            persistence.Dispose();
            throw;
        }
    }

    /// <summary>Signalled when the host is shutting down (SIGTERM / Ctrl+C in the standalone app).</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <summary>Every resource that exists now.</summary>
    public IReadOnlyList<InventoryEntry> GetInventory() => _context.Change(() =>
    {
        _context.Operations.CompleteDue();
        return (IReadOnlyList<InventoryEntry>)_context.Store.All
            .OrderBy(r => r.Id, StringComparer.OrdinalIgnoreCase)
            .Select(r => new InventoryEntry(r.Id, r.Type, r.Name, r.ProvisioningState, r.CreatedAt))
            .ToList();
    });

    /// <summary>The ARM requests received so far (oldest first).</summary>
    public IReadOnlyList<RequestLogEntry> GetRequestLog() => _log.Snapshot();

    /// <summary>Forgets the request log.</summary>
    public void ClearRequestLog() => _log.Clear();

    /// <summary>The events raised so far (oldest first).</summary>
    public IReadOnlyList<EmulatorEvent> GetEvents() => _context.Events.History;

    /// <summary>Every Event Grid delivery attempt so far (oldest first).</summary>
    public IReadOnlyList<DeliveryAttempt> GetDeliveries() => _deliverer.Attempts;

    /// <summary>Pushes an image tag to an emulated registry (raises ImagePushed); returns its digest, or null when the registry does not exist.</summary>
    public string? PushImage(string registryName, string repository, string tag, string? digest = null) =>
        _registries.Push(registryName, repository, tag, digest);

    /// <summary>Deletes a tag, or the repository when <paramref name="tag"/> is null (raises ImageDeleted).</summary>
    public bool DeleteImage(string registryName, string repository, string? tag = null) =>
        _registries.Delete(registryName, repository, tag);

    /// <summary>Adds a user, group or service principal to the emulated directory (created now).</summary>
    public DirectoryPrincipal AddPrincipal(string principalType = "User", string? displayName = null)
    {
        var principal = new DirectoryPrincipal(Guid.NewGuid().ToString(), principalType == "ServicePrincipal" ? Guid.NewGuid().ToString() : null, principalType, displayName ?? principalType, _context.Time.GetUtcNow());
        _context.Change(() => _context.Directory.Add(principal));
        return principal;
    }

    /// <summary>The saved state as it is in memory now, keys sorted (empty object when state is not saved).</summary>
    internal string DumpState()
    {
        lock (_context.Store.Sync)
        {
            return _context.Persistence.Dump();
        }
    }

    /// <summary>Issues a fresh bearer token (as <c>/_emulator/token</c> does).</summary>
    public string IssueToken() => _tokens.Issue(TimeSpan.FromHours(1)).Token;

    /// <summary>
    /// A plain <see cref="HttpClient"/> for seeding and inspecting the emulator: its base address, the development token,
    /// and exactly this certificate as its only trust anchor. (The product's ARM client has its own, independent trust
    /// code, so a mistake here cannot hide one there.)
    /// </summary>
    public HttpClient CreateHttpClient()
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(Certificate.RawData));
        var handler = new SocketsHttpHandler { SslOptions = new System.Net.Security.SslClientAuthenticationOptions { CertificateChainPolicy = policy } };
        var http = new HttpClient(handler) { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", DevelopmentToken);
        return http;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Nothing is written at shutdown: every change was saved when it was made, so stopping and crashing leave the same
    /// state behind. Pending operations and deliveries stay saved and go on after the next start.
    /// </remarks>
    public async ValueTask DisposeAsync()
    {
        await _deliverer.DisposeAsync();
        await _app.StopAsync();
        _context.Operations.Stop();
        lock (_context.Store.Sync)
        {
            _context.Persistence.Dispose();
        }

        await _app.DisposeAsync();
        Certificate.Dispose();
    }
}
