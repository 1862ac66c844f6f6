using System.Diagnostics;
using System.Text.Json.Nodes;
using Provisioning.Infra.Tests.Harness;
using YamlDotNet.RepresentationModel;

namespace Provisioning.Infra.Tests;

[Collection(InfraTestGroup.Name)]
public sealed class AzdLayoutTests(CompiledInfra infra)
{
    private static YamlMappingNode AzureYaml()
    {
        using var reader = new StreamReader(Path.Combine(RepositoryPaths.Root, "azure.yaml"));
        var stream = new YamlStream();
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string Scalar(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            current = ((YamlMappingNode)current).Children[new YamlScalarNode(key)];
        }

        return ((YamlScalarNode)current).Value ?? "";
    }

    [Fact]
    public void Azure_yaml_declares_the_functions_service_and_the_bicep_infra()
    {
        var yaml = AzureYaml();

        Assert.False(string.IsNullOrWhiteSpace(Scalar(yaml, "name")));
        Assert.Equal("bicep", Scalar(yaml, "infra", "provider"));
        Assert.Equal("infra", Scalar(yaml, "infra", "path"));
        Assert.Equal("main", Scalar(yaml, "infra", "module"));
        Assert.Equal("./src/Provisioning.Functions", Scalar(yaml, "services", "functions", "project"));
        Assert.Equal("dotnet", Scalar(yaml, "services", "functions", "language"));
        Assert.Equal("function", Scalar(yaml, "services", "functions", "host"));
    }

    [Theory]
    [InlineData("posix")]
    [InlineData("windows")]
    public void The_postdeploy_hook_scripts_exist(string platform)
    {
        var run = Scalar(AzureYaml(), "hooks", "postdeploy", platform, "run");

        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, run)), $"{run} is missing.");
    }

    [Fact]
    public void The_parameters_file_supplies_every_required_parameter_from_the_azd_environment()
    {
        var parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Infra, "main.parameters.json")))!["parameters"]!.AsObject();
        var declared = infra["main.bicep"].Template["parameters"]!.AsObject();

        Assert.All(parameters, parameter => Assert.True(declared.ContainsKey(parameter.Key), $"main.bicep has no parameter '{parameter.Key}'."));
        Assert.All(
            declared.Where(parameter => parameter.Value!["defaultValue"] is null),
            parameter => Assert.True(parameters.ContainsKey(parameter.Key), $"Required parameter '{parameter.Key}' is not supplied."));
        Assert.Equal("${AZURE_ENV_NAME}", parameters["environmentName"]!["value"]!.GetValue<string>());
        Assert.Equal("${AZURE_LOCATION}", parameters["location"]!["value"]!.GetValue<string>());
        Assert.Equal("${AZURE_PRINCIPAL_ID}", parameters["principalId"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_postdeploy_hook_deploys_eventgrid_bicep_with_parameters_it_declares_from_main_outputs()
    {
        var directory = Directory.CreateTempSubdirectory("provisioning-infra-hook-").FullName;
        try
        {
            var log = Path.Combine(directory, "az.args");
            var fakeAz = Path.Combine(directory, "az");
            await File.WriteAllTextAsync(fakeAz, $"#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '{log}'\n");
            File.SetUnixFileMode(fakeAz, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            var (exitCode, output) = await RunHookAsync(directory, new Dictionary<string, string>
            {
                ["AZURE_RESOURCE_GROUP"] = "rg-test",
                ["AZURE_FUNCTION_APP_NAME"] = "func-test",
                ["AZURE_ENV_NAME"] = "test",
                ["EVENTGRID_REGISTRY_IDS"] = "/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerRegistry/registries/a",
            });

            Assert.True(exitCode == 0, output);
            var arguments = await File.ReadAllLinesAsync(log);
            Assert.Equal(["deployment", "group", "create"], arguments.Take(3));
            Assert.Equal("./infra/eventgrid.bicep", arguments[Array.IndexOf(arguments, "--template-file") + 1]);
            Assert.Equal("rg-test", arguments[Array.IndexOf(arguments, "--resource-group") + 1]);

            var declared = infra["eventgrid.bicep"].Template["parameters"]!.AsObject();
            var passed = arguments.Where(argument => argument.Contains('=', StringComparison.Ordinal) && !argument.StartsWith('-'))
                .ToDictionary(argument => argument[..argument.IndexOf('=', StringComparison.Ordinal)], argument => argument[(argument.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            Assert.Equal("func-test", passed["functionAppName"]);
            Assert.StartsWith("/subscriptions/s/", passed["registryIds"], StringComparison.Ordinal);
            Assert.All(passed.Keys, name => Assert.True(declared.ContainsKey(name), $"eventgrid.bicep has no parameter '{name}'."));

            // The values the hook reads come from main.bicep's outputs (azd exports them to the hook).
            var outputs = infra["main.bicep"].Template["outputs"]!.AsObject();
            Assert.True(outputs.ContainsKey("AZURE_FUNCTION_APP_NAME"));
            Assert.True(outputs.ContainsKey("EVENTGRID_REGISTRY_IDS"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_postdeploy_hook_can_be_skipped()
    {
        var directory = Directory.CreateTempSubdirectory("provisioning-infra-hook-").FullName;
        try
        {
            var (exitCode, output) = await RunHookAsync(directory, new Dictionary<string, string>
            {
                ["PROVISIONING_SKIP_EVENT_SUBSCRIPTIONS"] = "true",
            });

            Assert.Equal(0, exitCode);
            Assert.Contains("left as they are", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunHookAsync(string fakeBinDirectory, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("sh")
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("./infra/hooks/postdeploy.sh");
        start.Environment["PATH"] = fakeBinDirectory + ":/usr/bin:/bin";
        foreach (var name in new[] { "AZURE_SUBSCRIPTION_ID", "PROVISIONING_SKIP_EVENT_SUBSCRIPTIONS", "PROVISIONING_EXISTING_SUBSCRIPTION_TOPIC_ID", "EVENTGRID_REGISTRY_IDS" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await standardOutput + await standardError);
    }
}
