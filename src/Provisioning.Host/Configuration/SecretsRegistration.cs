using Microsoft.AspNetCore.DataProtection;
using Provisioning.Secrets;

namespace Provisioning.Host.Configuration;

/// <summary>
/// Registers ASP.NET Core Data Protection with its key ring in the data folder (next to the engine's SQLite store),
/// and the <see cref="SecretProtector"/> that protects secrets before they are scheduled and that the ARM client
/// resolves them with just before sending.
/// </summary>
internal static class SecretsRegistration
{
    /// <summary>The key ring's folder under the data folder.</summary>
    public const string KeysFolder = "dataprotection-keys";

    /// <summary>
    /// Registers Data Protection (fixed application name, keys in <paramref name="dataDirectory"/>/<see cref="KeysFolder"/>,
    /// a folder only this user can read), <see cref="SecretProtector"/>, and the <see cref="KeyRingInitializer"/> that
    /// creates the first key under a lock shared by every host on the folder. Call it before the durable backend is added.
    /// </summary>
    public static IServiceCollection AddProvisioningSecrets(this IServiceCollection services, string dataDirectory)
    {
        var keys = new DirectoryInfo(Path.Combine(dataDirectory, KeysFolder));
        keys.Create();
        if (!OperatingSystem.IsWindows())
        {
            // Off Windows the keys are stored unencrypted (no DPAPI): the folder is the protection, as for the
            // emulator's private key. Anyone who can read it can read the secrets of runs in the store.
            File.SetUnixFileMode(keys.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        // Before AddDataProtection: hosted services start in registration order, and Data Protection's own one loads
        // (and on an empty folder creates) the key ring at start; the initializer must be first, under its lock.
        services.AddHostedService(provider => new KeyRingInitializer(provider.GetRequiredService<SecretProtector>(), keys.FullName));
        var dataProtection = services.AddDataProtection()
            .SetApplicationName(SecretProtector.ApplicationName)
            .PersistKeysToFileSystem(keys);
        if (OperatingSystem.IsWindows())
        {
            dataProtection.ProtectKeysWithDpapi();
        }
        services.AddSingleton(provider => new SecretProtector(provider.GetRequiredService<IDataProtectionProvider>()));
        return services;
    }
}
