namespace Provisioning.Host.Configuration;

/// <summary>Reads configuration the way an Azure Functions app does.</summary>
internal static class FunctionsConfigurationExtensions
{
    /// <summary>
    /// Adds <c>host.json</c> under <c>AzureFunctionsJobHost</c> (as the Functions host does) and the <c>Values</c> of
    /// <c>local.settings.json</c> as flat settings whose <c>__</c> separators become sections, like environment variables.
    /// Environment variables still win, as in Functions.
    /// </summary>
    public static IConfigurationBuilder AddFunctionsSettings(this IConfigurationBuilder builder, string contentRoot)
    {
        var hostJson = Path.Combine(contentRoot, "host.json");
        if (File.Exists(hostJson))
        {
            var hostSettings = new ConfigurationBuilder().AddJsonFile(hostJson, optional: false).Build();
            builder.AddInMemoryCollection(hostSettings.AsEnumerable()
                .Where(pair => pair.Value is not null)
                .Select(pair => new KeyValuePair<string, string?>($"AzureFunctionsJobHost:{pair.Key}", pair.Value)));

            // host.json's logging.logLevel drives log filtering, as in the Functions host ("default" is the fallback level).
            builder.AddInMemoryCollection(hostSettings.GetSection("logging:logLevel").GetChildren()
                .Select(level => new KeyValuePair<string, string?>(
                    $"Logging:LogLevel:{(level.Key.Equals("default", StringComparison.OrdinalIgnoreCase) ? "Default" : level.Key)}", level.Value)));
        }

        var localSettings = Path.Combine(contentRoot, "local.settings.json");
        if (File.Exists(localSettings))
        {
            var values = new ConfigurationBuilder().AddJsonFile(localSettings, optional: false).Build().GetSection("Values");
            builder.AddInMemoryCollection(values.GetChildren()
                .Select(setting => new KeyValuePair<string, string?>(setting.Key.Replace("__", ":", StringComparison.Ordinal), setting.Value)));
        }

        builder.AddEnvironmentVariables();
        return builder;
    }
}
