using Azure.Security.KeyVault.Secrets;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Provisioning.Functions.Configuration;
using Provisioning.Functions.Secrets;
using Provisioning.Secrets;

namespace Provisioning.Functions.Tests.Secrets;

/// <summary>Where the Functions app keeps its Data Protection key ring, as its settings say.</summary>
public sealed class FunctionsSecretsTests
{
    [Fact]
    public void With_KeysPath_the_key_ring_is_that_folder_and_a_restarted_app_reads_earlier_tokens()
    {
        var folder = Path.Combine(Path.GetTempPath(), "provisioning-functions-keys-" + Guid.NewGuid().ToString("N"));
        try
        {
            string token;
            using (var first = Build(("Provisioning:Secrets:KeysPath", folder)))
            {
                token = first.GetRequiredService<SecretProtector>().Protect("functions-secret");
            }

            Assert.NotEmpty(Directory.GetFiles(folder, "key-*.xml"));
            using var second = Build(("Provisioning:Secrets:KeysPath", folder));
            Assert.Equal("functions-secret", second.GetRequiredService<SecretProtector>().Unprotect(token));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void With_KeyVaultUri_the_key_ring_is_kept_in_that_vault()
    {
        using var services = Build(("Provisioning:Secrets:KeyVaultUri", "https://provisioning-kv.vault.azure.net/"));

        var repository = services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository;

        Assert.IsType<KeyVaultSecretsXmlRepository>(repository);
        Assert.Equal(new Uri("https://provisioning-kv.vault.azure.net/"), services.GetRequiredService<SecretClient>().VaultUri);
    }

    [Theory]
    [InlineData("http://provisioning-kv.vault.azure.net/")]
    [InlineData("provisioning-kv")]
    public void A_KeyVaultUri_that_is_not_an_https_url_stops_the_app_saying_what_to_write(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(("Provisioning:Secrets:KeyVaultUri", value)));

        Assert.Contains("https://<vault name>.vault.azure.net/", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("key-4f1c2a9e-8b7d-4e21-9a3b-2c5d6e7f8a9b", "dataprotection-key-4f1c2a9e-8b7d-4e21-9a3b-2c5d6e7f8a9b")]
    [InlineData("revocation-20261129T220000Z", "dataprotection-revocation-20261129T220000Z")]
    [InlineData("a.b_c d", "dataprotection-a-b-c-d")]
    public void Key_ring_elements_get_valid_key_vault_secret_names(string friendlyName, string expected)
    {
        Assert.Equal(expected, KeyVaultSecretsXmlRepository.SecretName(friendlyName));
    }

    [Fact]
    public void Secret_names_stay_within_key_vault_limits()
    {
        Assert.Equal(127, KeyVaultSecretsXmlRepository.SecretName(new string('k', 300)).Length);
        Assert.Matches("^dataprotection-[0-9a-f]{32}$", KeyVaultSecretsXmlRepository.SecretName(null));
    }

    private static ServiceProvider Build(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(setting => new KeyValuePair<string, string?>(setting.Key, setting.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddProvisioningSecrets(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
