using Provisioning.Infra.Tests.Harness;

namespace Provisioning.Infra.Tests;

[Collection(InfraTestGroup.Name)]
public sealed class BicepCompilationTests(CompiledInfra infra)
{
    [Fact]
    public void The_entry_points_are_main_and_eventgrid()
    {
        Assert.Equal(["eventgrid.bicep", "main.bicep"], CompiledInfra.EntryPoints.Select(Path.GetFileName));
    }

    [Fact]
    public void Every_entry_point_builds_without_a_warning()
    {
        Assert.Equal(CompiledInfra.EntryPoints.Count, infra.Templates.Count);
        foreach (var template in infra.Templates.Values)
        {
            Assert.True(template.Diagnostics.Count == 0,
                $"bicep build {template.Name}:{Environment.NewLine}{string.Join(Environment.NewLine, template.Diagnostics)}");
        }
    }

    [Fact]
    public void Every_bicep_file_lints_clean()
    {
        Assert.Equal(CompiledInfra.AllBicepFiles.Count, infra.LintedFiles);
        Assert.True(infra.LintDiagnostics.Count == 0,
            $"bicep lint:{Environment.NewLine}{string.Join(Environment.NewLine, infra.LintDiagnostics)}");
    }

    [Fact]
    public void The_linter_configuration_is_the_one_in_infra()
    {
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Infra, "bicepconfig.json")));
    }

    /// <summary>The harness itself: a warning must be seen, or the clean results above mean nothing.</summary>
    [Fact]
    public async Task The_harness_reports_linter_and_compiler_warnings()
    {
        var directory = Directory.CreateTempSubdirectory("provisioning-infra-canary-").FullName;
        try
        {
            File.Copy(Path.Combine(RepositoryPaths.Infra, "bicepconfig.json"), Path.Combine(directory, "bicepconfig.json"));
            await File.WriteAllTextAsync(Path.Combine(directory, "canary.bicep"),
                "param unused string\n\nresource unknown 'Microsoft.Nothing/things@2020-01-01' = {\n  name: 'x'\n}\n");

            var (lint, files, _) = await BicepCli.LintAsync(directory, "./*.bicep");
            var build = await BicepCli.BuildAsync(Path.Combine(directory, "canary.bicep"), directory);

            Assert.Equal(1, files);
            Assert.Contains(lint, diagnostic => diagnostic.Code == "no-unused-params");
            Assert.Contains(build.Diagnostics, diagnostic => diagnostic.Code == "BCP081");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
