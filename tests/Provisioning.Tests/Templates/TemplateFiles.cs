namespace Provisioning.Tests.Templates;

/// <summary>Where the template corpus is copied next to the test assembly.</summary>
internal static class TemplateFiles
{
    public static string Good => Path.Combine(AppContext.BaseDirectory, "Templates", "Good");

    public static string Bad => Path.Combine(AppContext.BaseDirectory, "Templates", "Bad");

    public static string BadSource => Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Templates", "Bad");
}
