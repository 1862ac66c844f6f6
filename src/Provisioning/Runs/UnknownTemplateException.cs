namespace Provisioning.Runs;

/// <summary>No template has the requested name.</summary>
public sealed class UnknownTemplateException : Exception
{
    /// <summary>Creates the exception, naming the templates that do exist.</summary>
    public UnknownTemplateException(string name, IReadOnlyList<string> known)
        : base(known.Count == 0
            ? $"There is no template named '{name}': no templates are loaded. Put template files in the templates folder."
            : $"There is no template named '{name}'. Known templates: {string.Join(", ", known)}.")
    {
        Name = name;
    }

    /// <summary>Not for use: the name is needed.</summary>
    public UnknownTemplateException()
        : base("There is no template with that name.") => Name = string.Empty;

    /// <summary>Not for use: the name is needed.</summary>
    public UnknownTemplateException(string message)
        : base(message) => Name = string.Empty;

    /// <summary>Not for use: the name is needed.</summary>
    public UnknownTemplateException(string message, Exception innerException)
        : base(message, innerException) => Name = string.Empty;

    /// <summary>The name that was asked for.</summary>
    public string Name { get; }
}
