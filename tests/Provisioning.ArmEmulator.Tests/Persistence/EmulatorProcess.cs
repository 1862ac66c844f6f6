using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Provisioning.ArmEmulator.Tests.Persistence;

/// <summary>
/// The standalone emulator (<c>Provisioning.ArmEmulator.dll --port 0 --data …</c>) in a child process, found through the
/// <c>arm-emulator.json</c> it writes, so a test can kill it with SIGKILL at a moment of its choosing.
/// </summary>
internal sealed class EmulatorProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private EmulatorProcess(Process process, StringBuilder output, Uri baseUri, HttpClient http)
    {
        _process = process;
        _output = output;
        BaseUri = baseUri;
        Http = http;
    }

    public Uri BaseUri { get; }

    /// <summary>Trusts exactly the emulator's certificate (read from the PEM file it wrote) and sends its development token (from the token file).</summary>
    public HttpClient Http { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<EmulatorProcess> StartAsync(string dataDirectory)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "Provisioning.ArmEmulator.dll"), "--port", "0", "--data", dataDirectory })
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var endpointFile = Path.Combine(dataDirectory, "arm-emulator.json");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonNode? endpoint = null;
        while (endpoint is null)
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The emulator process did not start: {output}");
            }

            try
            {
                var candidate = File.Exists(endpointFile) ? JsonNode.Parse(await File.ReadAllTextAsync(endpointFile)) : null;
                endpoint = (int?)candidate?["processId"] == process.Id ? candidate : null;
            }
            catch (IOException)
            {
            }

            await Task.Delay(50);
        }

        var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync((string)endpoint["certificatePath"]!));
        var http = TestEmulator.CreateClient(certificate);
        var baseUri = new Uri((string)endpoint["url"]!);
        http.BaseAddress = baseUri;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync((string)endpoint["tokenPath"]!)).Trim());
        return new EmulatorProcess(process, output, baseUri, http);
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }
}
