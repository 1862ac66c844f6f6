using Provisioning.Arm.Resources;
using Provisioning.Templates.Binding;
using Provisioning.Templates.Validation;

namespace Provisioning.Workloads;

/// <summary>What a kind's reader sees besides the workload: where errors go, the target and the template's identity.</summary>
/// <param name="Errors">Collects each problem with its path and fix.</param>
/// <param name="Target">Where the workload is deployed; null at load time, when only the shape is checked.</param>
/// <param name="IdentityId">The user-assigned identity's id once bound; null at load time or for a system-assigned identity.</param>
/// <param name="IdentityNameText">The identity's name as written, for messages.</param>
/// <param name="SystemAssigned">Whether the template asks for the workload's system-assigned identity.</param>
internal sealed record WorkloadReadContext(TemplateErrorList Errors, TemplateTarget? Target, ArmResourceId? IdentityId, string IdentityNameText, bool SystemAssigned);
