using System.Text;
using System.Text.Json.Nodes;

namespace Provisioning.Arm.ContainerInstance;

/// <summary>An environment variable: a plain <c>value</c> or a <c>secureValue</c> (never shown in logs or ToString).</summary>
/// <param name="Name">The variable name.</param>
/// <param name="Value">The plain value, or null.</param>
/// <param name="SecureValue">The secure value, or null.</param>
public sealed record EnvironmentVariable(string Name, string? Value, string? SecureValue)
{
    internal JsonObject ToArmJson()
    {
        var variable = new JsonObject { ["name"] = Name };
        if (SecureValue is not null)
        {
            variable["secureValue"] = SecureValue;
        }
        else
        {
            variable["value"] = Value ?? string.Empty;
        }
        return variable;
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name);
        if (SecureValue is not null)
        {
            builder.Append(", SecureValue = ***");
        }
        else
        {
            builder.Append(", Value = ").Append(Value);
        }
        return true;
    }
}
