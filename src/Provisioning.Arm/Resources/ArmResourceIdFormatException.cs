namespace Provisioning.Arm.Resources;

/// <summary>Text that is not a valid ARM resource id; the message names the problem.</summary>
public sealed class ArmResourceIdFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public ArmResourceIdFormatException()
    {
        Value = string.Empty;
        Problem = string.Empty;
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ArmResourceIdFormatException(string message) : base(message)
    {
        Value = string.Empty;
        Problem = message;
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ArmResourceIdFormatException(string message, Exception innerException) : base(message, innerException)
    {
        Value = string.Empty;
        Problem = message;
    }

    /// <summary>Creates the exception for a value and its problem.</summary>
    /// <param name="value">The text that failed to parse.</param>
    /// <param name="problem">What is wrong with it.</param>
    public ArmResourceIdFormatException(string? value, string problem)
        : base($"'{value}' is not a valid resource id: {problem}.")
    {
        Value = value ?? string.Empty;
        Problem = problem;
    }

    /// <summary>The text that failed to parse.</summary>
    public string Value { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
