using Provisioning.Host;
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

app.Lifetime.ApplicationStarted.Register(() => ProvisioningHostApplication.PrintWelcome(app));
await app.RunAsync();
return 0;
