using Provisioning.Templates;
using Provisioning.Templates.Loading;

namespace Provisioning.Tests.Templates;

public sealed class TemplateCatalogTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "provisioning-template-catalog-" + Guid.NewGuid().ToString("N"));

    public TemplateCatalogTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Two_files_with_the_same_template_name_are_an_error_naming_both()
    {
        File.Copy(Path.Combine(TemplateFiles.Good, "web.yaml"), Path.Combine(_folder, "a.yaml"));
        File.Copy(Path.Combine(TemplateFiles.Good, "web.yaml"), Path.Combine(_folder, "b.yaml"));

        var error = await Assert.ThrowsAsync<TemplateException>(() => TemplateCatalog.LoadFolderAsync(_folder));

        Assert.Equal("b.yaml: name: the template name 'web' is already used by a.yaml. Fix: give each template a different 'name' (or file name).", Assert.Single(error.Errors).ToString());
    }

    [Fact]
    public async Task Other_files_are_ignored_and_a_missing_folder_is_an_error()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "notes.txt"), "not a template");
        File.Copy(Path.Combine(TemplateFiles.Good, "windows.yaml"), Path.Combine(_folder, "windows.yml"));

        var catalog = await TemplateCatalog.LoadFolderAsync(_folder);
        var missing = await Assert.ThrowsAsync<TemplateException>(() => TemplateCatalog.LoadFolderAsync(Path.Combine(_folder, "nope")));

        Assert.Equal(["windows"], catalog.Names);
        Assert.Equal("(folder)", Assert.Single(missing.Errors).Path);
    }
}
