using Provisioning.Host;
using Provisioning.Host.Configuration;
using Provisioning.Templates;

WebApplication app;
try
{
    app = await ProvisioningHostApplication.BuildAsync(args);
}
catch (TemplateException invalid)
{
    // Bad templates stop the host with every error, each naming the file, the field and the fix.
    await Console.Error.WriteLineAsync($"The templates are invalid:{Environment.NewLine}  {string.Join($"{Environment.NewLine}  ", invalid.Errors)}");
    return 1;
}
catch (ProvisioningSettingsException invalid)
{
    // Settings that cannot start the host (e.g. Mode=Azure without a subscription) say what to set.
    await Console.Error.WriteLineAsync(invalid.Message);
    return 1;
}

app.Lifetime.ApplicationStarted.Register(() => ProvisioningHostApplication.PrintWelcome(app));
await app.RunAsync();
return 0;
