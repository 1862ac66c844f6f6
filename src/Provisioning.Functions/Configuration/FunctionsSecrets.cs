extern alias AzureIdentity;

using Azure.Security.KeyVault.Secrets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Provisioning.Functions.Secrets;
using Provisioning.Secrets;

namespace Provisioning.Functions.Configuration;

/// <summary>
/// Registers ASP.NET Core Data Protection and the <see cref="SecretProtector"/> for the Functions app. Where the key
/// ring lives (<c>Provisioning__Secrets__*</c>):
/// <list type="bullet">
/// <item><c>KeyVaultUri</c>: in that Key Vault, one secret per key (<see cref="KeyVaultSecretsXmlRepository"/>), read with
/// <c>DefaultAzureCredential</c> (in Azure, the app's user-assigned identity chosen by <c>AZURE_CLIENT_ID</c>). What a
/// scaled-out app needs: every instance decrypts what another protected.</item>
/// <item><c>KeysPath</c>: in that folder (one machine, e.g. <c>func start</c>).</item>
/// <item>neither: Data Protection's default folder (locally <c>~/.aspnet/DataProtection-Keys</c>; on a Flex Consumption
/// instance a local folder that another instance cannot read, so set <c>KeyVaultUri</c> there).</item>
/// </list>
/// The application name is fixed (<see cref="SecretProtector.ApplicationName"/>), so keys survive restarts and deployments.
/// </summary>
public static class FunctionsSecrets
{
    /// <summary>The configuration section of the key ring settings.</summary>
    public const string SectionName = "Provisioning:Secrets";

    /// <summary>Registers Data Protection with the configured key ring and <see cref="SecretProtector"/>.</summary>
    /// <param name="services">The app's services.</param>
    /// <param name="configuration">The app's configuration.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException"><c>KeyVaultUri</c> is not an absolute https URL.</exception>
    public static IServiceCollection AddProvisioningSecrets(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        var dataProtection = services.AddDataProtection().SetApplicationName(SecretProtector.ApplicationName);
        if (NonEmpty(section["KeyVaultUri"]) is { } vault)
        {
            if (!Uri.TryCreate(vault, UriKind.Absolute, out var vaultUri) || vaultUri.Scheme != Uri.UriSchemeHttps)
            {
                throw new InvalidOperationException($"Provisioning__Secrets__KeyVaultUri '{vault}' is not a Key Vault URL; write it as https://<vault name>.vault.azure.net/.");
            }
            // Key Vault stores and encrypts the keys; Data Protection adds no XML encryptor of its own (it would need a
            // key it can only keep in the same vault).
            services.AddSingleton(new SecretClient(vaultUri, new AzureIdentity::Azure.Identity.DefaultAzureCredential()));
            services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(provider => new ConfigureOptions<KeyManagementOptions>(
                options => options.XmlRepository = new KeyVaultSecretsXmlRepository(provider.GetRequiredService<SecretClient>())));
        }
        else if (NonEmpty(section["KeysPath"]) is { } path)
        {
            dataProtection.PersistKeysToFileSystem(Directory.CreateDirectory(path));
        }
        services.AddSingleton(provider => new SecretProtector(provider.GetRequiredService<IDataProtectionProvider>()));
        return services;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
