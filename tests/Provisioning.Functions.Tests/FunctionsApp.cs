using System.Reflection;
using System.Text.Json.Nodes;

namespace Provisioning.Functions.Tests;

/// <summary>The Functions app's build output, where its build put it (the test project's build asks the app's project).</summary>
internal static class FunctionsApp
{
    public static string Directory { get; } = typeof(FunctionsApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "FunctionsAppDirectory").Value!;

    /// <summary>The app's project folder (its sources: local.settings.sample.json).</summary>
    public static string ProjectDirectory { get; } = typeof(FunctionsApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "FunctionsAppProjectDirectory").Value!;

    public static string PathOf(string relative) => Path.Combine(Directory, relative);

    public static JsonNode ReadJson(string relative) => JsonNode.Parse(File.ReadAllText(PathOf(relative)))!;
}
