namespace Provisioning.Rules;

/// <summary>A rules file that cannot be loaded; <see cref="Errors"/> lists every problem found.</summary>
public sealed class RuleException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RuleException() : this([])
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public RuleException(string message) : base(message) => Errors = [];

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public RuleException(string message, Exception innerException) : base(message, innerException) => Errors = [];

    /// <summary>Creates the exception for a list of errors.</summary>
    /// <param name="errors">The errors (at least one).</param>
    public RuleException(IReadOnlyList<RuleError> errors)
        : base(errors.Count == 0 ? "The rules file is invalid." : string.Join(Environment.NewLine, errors.Select(e => e.ToString())))
    {
        Errors = errors;
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<RuleError> Errors { get; }
}
