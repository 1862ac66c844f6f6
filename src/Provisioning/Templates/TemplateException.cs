namespace Provisioning.Templates;

/// <summary>A template that cannot be loaded or bound; <see cref="Errors"/> lists every problem found.</summary>
public sealed class TemplateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TemplateException() : this([])
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public TemplateException(string message) : base(message) => Errors = [];

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TemplateException(string message, Exception innerException) : base(message, innerException) => Errors = [];

    /// <summary>Creates the exception for a list of errors.</summary>
    /// <param name="errors">The errors (at least one).</param>
    public TemplateException(IReadOnlyList<TemplateError> errors)
        : base(errors.Count == 0
            ? "The template is invalid."
            : string.Join(Environment.NewLine, errors.Select(e => e.ToString())))
    {
        Errors = errors;
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<TemplateError> Errors { get; }
}
