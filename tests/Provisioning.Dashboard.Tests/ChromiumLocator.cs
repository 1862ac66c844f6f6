namespace Provisioning.Dashboard.Tests;

/// <summary>
/// Where the browser tests find Chromium: the path in <c>PROVISIONING_CHROMIUM</c> when set, else the system's
/// Chromium (Debian's <c>chromium</c> package, <c>/usr/bin/chromium</c>, which <c>.ci/run</c> installs). Playwright's
/// own browser builds are never downloaded: the machines reach package registries only.
/// </summary>
internal static class ChromiumLocator
{
    public const string Variable = "PROVISIONING_CHROMIUM";

    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

    public static string Find()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"{Variable} is '{configured}', which does not exist. Point it at a Chromium executable, or unset it to use /usr/bin/chromium.");
        }

        return Candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"The browser tests need Chromium and found none at {string.Join(" or ", Candidates)}. Install it with "
                + $"'apt-get update && apt-get install -y chromium' (.ci/run does this), or set {Variable} to a Chromium executable.");
    }
}
