using System.Globalization;
using System.Text.Json.Nodes;

namespace Provisioning.Templates.Validation;

/// <summary>Reads a JSON number whatever CLR type backs it (parsed JSON, YAML integers, user-supplied values).</summary>
internal static class JsonNumber
{
    public static double ToDouble(JsonValue value) =>
        value.TryGetValue<double>(out var real) ? real
        : value.TryGetValue<long>(out var integer) ? integer
        : value.TryGetValue<int>(out var small) ? small
        : value.TryGetValue<decimal>(out var exact) ? (double)exact
        : double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture);
}
