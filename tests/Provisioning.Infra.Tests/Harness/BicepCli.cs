using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Provisioning.Infra.Tests.Harness;

/// <summary>One diagnostic of the Bicep compiler or linter (from its SARIF output).</summary>
internal sealed record BicepDiagnostic(string File, int Line, string Level, string Code, string Message)
{
    public override string ToString() => $"{File}({Line}): {Level} {Code}: {Message}";
}

/// <summary>A compiled entry point: its ARM JSON and what the compiler said.</summary>
internal sealed record CompiledTemplate(string SourcePath, JsonObject Template, IReadOnlyList<BicepDiagnostic> Diagnostics)
{
    public string Name => Path.GetFileName(SourcePath);
}

/// <summary>Runs the real Bicep CLI from the restored Azure.Bicep.CommandLine.linux-x64 package.</summary>
internal static class BicepCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private static readonly Lazy<string> Executable = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string ExecutablePath => Executable.Value;

    /// <summary>bicep build: the template and every diagnostic (a warning does not fail the CLI, so callers check).</summary>
    public static async Task<CompiledTemplate> BuildAsync(string sourcePath, string outputDirectory)
    {
        var outFile = Path.Combine(outputDirectory, Path.GetFileNameWithoutExtension(sourcePath) + ".json");
        var (exitCode, standardOutput, standardError) = await RunAsync(Path.GetDirectoryName(sourcePath)!, "build", sourcePath, "--outfile", outFile, "--diagnostics-format", "sarif");
        // bicep build writes its SARIF to standard error (lint writes it to standard output): read both.
        var diagnostics = ParseSarif(standardOutput).Concat(ParseSarif(standardError)).ToList();
        if (exitCode != 0 || !File.Exists(outFile))
        {
            throw new InvalidOperationException(
                $"bicep build {sourcePath} failed ({exitCode}):{Environment.NewLine}{string.Join(Environment.NewLine, diagnostics)}");
        }

        var template = JsonNode.Parse(await File.ReadAllTextAsync(outFile))!.AsObject();
        return new CompiledTemplate(sourcePath, template, diagnostics);
    }

    /// <summary>bicep lint of every file matching a glob below a folder (uses the bicepconfig.json found there).</summary>
    public static async Task<(IReadOnlyList<BicepDiagnostic> Diagnostics, int Files, string Output)> LintAsync(string directory, string pattern)
    {
        var (exitCode, standardOutput, standardError) = await RunAsync(directory, "lint", "--pattern", pattern, "--diagnostics-format", "sarif");
        var documents = SarifDocuments(standardOutput);
        var diagnostics = documents.SelectMany(Results).ToList();
        if (exitCode != 0 && diagnostics.Count == 0)
        {
            throw new InvalidOperationException($"bicep lint failed ({exitCode}) without diagnostics:{Environment.NewLine}{standardError}");
        }

        return (diagnostics, documents.Count, standardOutput + standardError);
    }

    private static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(ExecutablePath)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {ExecutablePath}.");
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        return (process.ExitCode, await standardOutput, await standardError);
    }

    private static List<BicepDiagnostic> ParseSarif(string text) => [.. SarifDocuments(text).SelectMany(Results)];

    /// <summary>bicep lint --pattern writes one SARIF document per file, one after the other.</summary>
    private static List<JsonDocument> SarifDocuments(string text)
    {
        var documents = new List<JsonDocument>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return documents;
        }

        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            documents.Add(JsonDocument.ParseValue(ref reader));
        }

        return documents;
    }

    private static IEnumerable<BicepDiagnostic> Results(JsonDocument sarif)
    {
        foreach (var run in sarif.RootElement.GetProperty("runs").EnumerateArray())
        {
            foreach (var result in run.GetProperty("results").EnumerateArray())
            {
                var file = "";
                var line = 0;
                if (result.TryGetProperty("locations", out var locations) && locations.GetArrayLength() > 0)
                {
                    var physical = locations[0].GetProperty("physicalLocation");
                    file = physical.GetProperty("artifactLocation").GetProperty("uri").GetString() ?? "";
                    if (physical.TryGetProperty("region", out var region) && region.TryGetProperty("startLine", out var startLine))
                    {
                        line = startLine.GetInt32();
                    }
                }

                // SARIF's default level is "warning" when a result carries none (Bicep omits it for warnings).
                var level = result.TryGetProperty("level", out var levelElement) ? levelElement.GetString() ?? "warning" : "warning";
                var code = result.TryGetProperty("ruleId", out var rule) ? rule.GetString() ?? "" : "";
                var message = result.GetProperty("message").GetProperty("text").GetString() ?? "";
                yield return new BicepDiagnostic(file, line, level, code, message);
            }
        }
    }

    private static string Locate()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            throw new PlatformNotSupportedException(
                $"The infra tests run the Bicep CLI from Azure.Bicep.CommandLine.linux-x64; this machine is {RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}.");
        }

        var path = Path.Combine(RepositoryPaths.BicepPackageDirectory, "tools", "bicep");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The Bicep CLI is not at {path}: restore the test project.", path);
        }

        return EnsureExecutable(path);
    }

    /// <summary>NuGet does not always keep the execute bit: set it, or run a private executable copy when the package folder is read-only.</summary>
    private static string EnsureExecutable(string path)
    {
        const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        var mode = File.GetUnixFileMode(path);
        if ((mode & UnixFileMode.UserExecute) != 0)
        {
            return path;
        }

        try
        {
            File.SetUnixFileMode(path, mode | execute);
            return path;
        }
        catch (UnauthorizedAccessException)
        {
            return ExecutableCopy(path, mode | execute);
        }
        catch (IOException)
        {
            return ExecutableCopy(path, mode | execute);
        }
    }

    private static string ExecutableCopy(string path, UnixFileMode mode)
    {
        var directory = Directory.CreateTempSubdirectory("provisioning-infra-bicep-").FullName;
        var copy = Path.Combine(directory, "bicep");
        File.Copy(path, copy);
        File.SetUnixFileMode(copy, mode | UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return copy;
    }
}
