using System.Net;
using System.Text.RegularExpressions;
using Provisioning.ArmEmulator.Arm;

namespace Provisioning.ArmEmulator.Validation;

/// <summary>A resource type's naming rule (length and pattern) and the error it answers with.</summary>
internal sealed record NameRule(int MinLength, int MaxLength, Regex Pattern, string Requirement, string Code = "InvalidResourceName")
{
    /// <summary>Throws <c>400</c> with <see cref="Code"/> when <paramref name="name"/> breaks the rule.</summary>
    public void Check(string type, string name)
    {
        if (name.Length < MinLength || name.Length > MaxLength || !Pattern.IsMatch(name))
        {
            throw new ArmException(
                HttpStatusCode.BadRequest,
                Code,
                $"The resource name '{name}' for type '{type}' is invalid. {Requirement}");
        }
    }
}
