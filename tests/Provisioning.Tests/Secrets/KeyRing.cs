using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Secrets;

namespace Provisioning.Tests.Secrets;

/// <summary>A real Data Protection key ring in a temporary folder, registered as the hosts register it.</summary>
internal sealed class KeyRing : IDisposable
{
    private readonly List<ServiceProvider> _providers = [];

    public KeyRing()
    {
        Folder = Path.Combine(Path.GetTempPath(), "provisioning-keyring-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    /// <summary>A protector on this key ring, as a (re)started host builds it.</summary>
    public SecretProtector NewProtector(string applicationName = SecretProtector.ApplicationName) => new(NewProvider(applicationName));

    public IDataProtectionProvider NewProvider(string applicationName = SecretProtector.ApplicationName)
    {
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName(applicationName).PersistKeysToFileSystem(new DirectoryInfo(Folder));
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<IDataProtectionProvider>();
    }

    public void Dispose()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }
        Directory.Delete(Folder, recursive: true);
    }
}
