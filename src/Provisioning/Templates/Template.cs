using System.Text.Json.Nodes;
using Provisioning.Drift;
using Provisioning.Templates.Binding;

namespace Provisioning.Templates;

/// <summary>
/// A loaded, validated template: what to provision (an identity, its grants, a container group), with
/// parameters. <see cref="Bind"/> supplies the parameters and the target resource group and yields the
/// <see cref="ResolvedTemplate"/> to provision.
/// </summary>
/// <param name="Name">The template name (its <c>name</c> field, or the file name without extension).</param>
/// <param name="SourceFile">The file it was loaded from (used in error messages).</param>
/// <param name="Description">What it provisions.</param>
/// <param name="Parameters">The declared parameters by name.</param>
/// <param name="Identity">The user-assigned identity.</param>
/// <param name="Grants">The roles granted to the identity.</param>
/// <param name="WorkloadJson">The workload (a container group in ARM resource shape, expressions unevaluated) as JSON text.</param>
public sealed record Template(
    string Name,
    string SourceFile,
    string? Description,
    IReadOnlyDictionary<string, TemplateParameter> Parameters,
    TemplateIdentity Identity,
    IReadOnlyList<TemplateGrant> Grants,
    string WorkloadJson)
{
    /// <summary>What drift scans do with this template's drifted workloads (the <c>drift</c> field: <c>repair</c>, the default, or <c>report</c>).</summary>
    public DriftPolicy Drift { get; init; } = DriftPolicy.Repair;

    /// <summary>
    /// Binds parameter values and a target resource group, evaluates every expression and checks the result
    /// as Azure would. Throws <see cref="TemplateException"/> listing every problem (unknown or missing
    /// parameters, wrong types, values Azure would refuse).
    /// </summary>
    /// <param name="parameters">Parameter values by name (strings, numbers, booleans as JSON nodes).</param>
    /// <param name="target">The subscription and resource group to deploy into.</param>
    public ResolvedTemplate Bind(IReadOnlyDictionary<string, JsonNode?> parameters, TemplateTarget target)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(target);
        return new TemplateBinder(this).Bind(parameters, target);
    }
}
