using System.Diagnostics.CodeAnalysis;

namespace Provisioning.Templates.Loading;

/// <summary>
/// The templates of a folder (<c>*.yaml</c>, <c>*.yml</c>, <c>*.json</c>, not recursive), by name. Loading checks
/// every file and reports the errors of all of them at once.
/// </summary>
public sealed class TemplateCatalog
{
    private readonly Dictionary<string, Template> _templates;

    private TemplateCatalog(Dictionary<string, Template> templates) => _templates = templates;

    /// <summary>The template names, sorted.</summary>
    public IReadOnlyList<string> Names => _templates.Keys.Order(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>The templates.</summary>
    public IReadOnlyCollection<Template> Templates => _templates.Values;

    /// <summary>Loads every template file of a folder; throws <see cref="TemplateException"/> with the errors of every bad file.</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public static async Task<TemplateCatalog> LoadFolderAsync(string folder, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(folder))
        {
            throw new TemplateException([new TemplateError(folder, "(folder)", "does not exist", "create the folder or point the template path at the folder that holds the templates")]);
        }
        var files = Directory.EnumerateFiles(folder)
            .Where(f => Path.GetExtension(f).ToUpperInvariant() is ".YAML" or ".YML" or ".JSON")
            .Order(StringComparer.Ordinal);
        var templates = new Dictionary<string, Template>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<TemplateError>();
        foreach (var file in files)
        {
            try
            {
                var template = await TemplateLoader.LoadFileAsync(file, cancellationToken);
                if (templates.TryGetValue(template.Name, out var existing))
                {
                    errors.Add(new TemplateError(template.SourceFile, "name", $"the template name '{template.Name}' is already used by {existing.SourceFile}", "give each template a different 'name' (or file name)"));
                    continue;
                }
                templates[template.Name] = template;
            }
            catch (TemplateException error)
            {
                errors.AddRange(error.Errors);
            }
        }
        if (errors.Count > 0)
        {
            throw new TemplateException(errors);
        }
        return new TemplateCatalog(templates);
    }

    /// <summary>Creates a catalog from templates already loaded.</summary>
    /// <param name="templates">The templates (names must differ).</param>
    public static TemplateCatalog From(IEnumerable<Template> templates) =>
        new(templates.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase));

    /// <summary>Finds a template by name (case-insensitive).</summary>
    /// <param name="name">The template name.</param>
    /// <param name="template">The template.</param>
    public bool TryGet(string name, [NotNullWhen(true)] out Template? template) => _templates.TryGetValue(name, out template);
}
