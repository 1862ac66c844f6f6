namespace Provisioning.Infra.Tests.Harness;

/// <summary>
/// infra/ compiled and linted once for all tests: every entry point (the .bicep files directly in infra/) is built,
/// every .bicep file below infra/ is linted.
/// </summary>
public sealed class CompiledInfra : IAsyncLifetime
{
    private readonly string _outputDirectory = Directory.CreateTempSubdirectory("provisioning-infra-tests-").FullName;

    internal IReadOnlyDictionary<string, CompiledTemplate> Templates { get; private set; } = new Dictionary<string, CompiledTemplate>();

    internal IReadOnlyList<BicepDiagnostic> LintDiagnostics { get; private set; } = [];

    internal int LintedFiles { get; private set; }

    internal string LintOutput { get; private set; } = "";

    internal static IReadOnlyList<string> EntryPoints =>
        [.. Directory.GetFiles(RepositoryPaths.Infra, "*.bicep", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal)];

    internal static IReadOnlyList<string> AllBicepFiles =>
        [.. Directory.GetFiles(RepositoryPaths.Infra, "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    internal CompiledTemplate this[string entryPoint] => Templates[entryPoint];

    public async Task InitializeAsync()
    {
        var templates = new Dictionary<string, CompiledTemplate>(StringComparer.Ordinal);
        foreach (var entryPoint in EntryPoints)
        {
            var compiled = await BicepCli.BuildAsync(entryPoint, _outputDirectory);
            templates[compiled.Name] = compiled;
        }

        Templates = templates;
        (LintDiagnostics, LintedFiles, LintOutput) = await BicepCli.LintAsync(RepositoryPaths.Infra, "./**/*.bicep");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_outputDirectory, recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class InfraTestGroup : ICollectionFixture<CompiledInfra>
{
    public const string Name = "infra";
}
