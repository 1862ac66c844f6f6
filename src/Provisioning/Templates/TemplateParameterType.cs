using System.Diagnostics.CodeAnalysis;

namespace Provisioning.Templates;

/// <summary>The type of a template parameter (ARM's parameter types).</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The members are ARM's parameter type names.")]
public enum TemplateParameterType
{
    /// <summary><c>string</c>.</summary>
    String,

    /// <summary><c>securestring</c>: a string never logged nor shown.</summary>
    SecureString,

    /// <summary><c>int</c>.</summary>
    Int,

    /// <summary><c>bool</c>.</summary>
    Bool,
}
