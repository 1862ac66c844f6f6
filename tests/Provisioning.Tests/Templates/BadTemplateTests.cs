using Provisioning.Templates;
using Provisioning.Templates.Loading;

namespace Provisioning.Tests.Templates;

/// <summary>
/// Each file of Templates/Bad is a template Azure (or the loader) refuses; the file next to it,
/// <c>&lt;name&gt;.errors.txt</c>, holds the exact errors a user sees: file, field path, problem and fix.
/// </summary>
public sealed class BadTemplateTests
{
    public static TheoryData<string> BadFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(TemplateFiles.Bad).Where(f => !f.EndsWith(".errors.txt", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_template_fails_to_load_with_the_expected_errors(string fileName)
    {
        var path = Path.Combine(TemplateFiles.Bad, fileName);
        var error = await Assert.ThrowsAsync<TemplateException>(() => TemplateLoader.LoadFileAsync(path));
        var actual = string.Join("\n", error.Errors.Select(e => e.ToString())) + "\n";
        var expectedPath = Path.ChangeExtension(path, ".errors.txt");
        if (Environment.GetEnvironmentVariable("PROVISIONING_WRITE_EXPECTED_ERRORS") == "1")
        {
            await File.WriteAllTextAsync(Path.Combine(TemplateFiles.BadSource, Path.GetFileName(expectedPath)), actual);
            return;
        }
        Assert.Equal(await File.ReadAllTextAsync(expectedPath), actual);
    }

    [Fact]
    public async Task A_folder_with_bad_templates_reports_the_errors_of_every_file()
    {
        var error = await Assert.ThrowsAsync<TemplateException>(() => TemplateCatalog.LoadFolderAsync(TemplateFiles.Bad));
        var files = error.Errors.Select(e => e.File).Distinct().Count();
        Assert.Equal(BadFiles().Count, files);
    }
}
