using Provisioning.Host;

var app = ProvisioningHostApplication.Build(args);
app.Lifetime.ApplicationStarted.Register(() => ProvisioningHostApplication.PrintWelcome(app));
await app.RunAsync();
