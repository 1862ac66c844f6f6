using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Provisioning.Host.Configuration;
using Provisioning.Secrets;

namespace Provisioning.Host.Tests.Secrets;

/// <summary>Hosts sharing a data folder share one key ring: the first key is made once, under a lock.</summary>
public sealed class KeyRingInitializerTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "provisioning-keyring-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Two_hosts_started_together_on_one_data_folder_make_one_key_and_read_each_others_secrets()
    {
        using var first = Services();
        using var second = Services();

        await Task.WhenAll(StartAsync(first), StartAsync(second));

        Assert.Single(Directory.GetFiles(Path.Combine(_data, SecretsRegistration.KeysFolder), "key-*.xml"));
        var token = first.GetRequiredService<SecretProtector>().Protect("shared-secret");
        Assert.Equal("shared-secret", second.GetRequiredService<SecretProtector>().Unprotect(token));
        Assert.Equal("shared-secret", second.GetRequiredService<SecretProtector>().Unprotect(second.GetRequiredService<SecretProtector>().Protect("shared-secret")));
    }

    [Fact]
    public async Task A_host_waits_while_another_holds_the_key_ring_lock()
    {
        using var services = Services();
        var lockPath = Path.Combine(_data, SecretsRegistration.KeysFolder, KeyRingInitializer.LockFile);
        Task start;
        using (new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            start = StartAsync(services);
            await Task.Delay(300);
            Assert.False(start.IsCompleted, "the host went on while another held the lock");
            Assert.Empty(Directory.GetFiles(Path.Combine(_data, SecretsRegistration.KeysFolder), "key-*.xml"));
        }

        await start.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(Directory.GetFiles(Path.Combine(_data, SecretsRegistration.KeysFolder), "key-*.xml"));
    }

    [Fact]
    public async Task In_the_host_the_initializer_starts_before_anything_else_can_load_the_key_ring()
    {
        var host = await LoopbackHost.StartAsync(Path.Combine(_data, "host"));
        try
        {
            var hosted = host.Services.GetServices<IHostedService>().Select(service => service.GetType().Name).ToList();

            Assert.Equal(nameof(KeyRingInitializer), hosted.First(name => name is nameof(KeyRingInitializer) or "DataProtectionHostedService" || name.Contains("Worker", StringComparison.Ordinal)));
            Assert.Contains("DataProtectionHostedService", hosted);
            Assert.Single(Directory.GetFiles(Path.Combine(_data, "host", SecretsRegistration.KeysFolder), "key-*.xml"));
        }
        finally
        {
            await host.DisposeAsync();
            host.DeleteData();
        }
    }

    private ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddProvisioningSecrets(_data);
        return services.BuildServiceProvider();
    }

    // Starts the hosted services one after the other in registration order, as the host does (Data Protection's own
    // hosted service, which loads the key ring, included).
    private static Task StartAsync(IServiceProvider services) => Task.Run(async () =>
    {
        foreach (var service in services.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
        }
    });

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}
