// What the app may do in one target resource group (deployed at that group's scope, once per group):
// create and delete user-assigned identities, attach them to workloads, deploy container groups, and grant
// ONLY the workload roles (AcrPull, Container Registry Repository Reader, Key Vault Secrets User) to service
// principals. The last one is Role Based Access Control Administrator constrained by an ABAC condition
// (the "Constrain roles and principal types" template): without the condition the app could grant itself Owner.
// Registries are granted at the registry scope by the app, so a registry's resource group must be a target too.

@description('Object id of the app\'s user-assigned identity.')
param principalId string

@description('Extra built-in or custom role definition GUIDs for other workload kinds (ACR Tasks, Container Apps, Key Vault access policies). Roles that can change access (Owner, User Access Administrator, Role Based Access Control Administrator) are refused.')
param additionalRoleDefinitionIds string[] = []

// Built-in role definition GUIDs (Azure built-in roles reference, learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var builtInRoles = {
  managedIdentityContributor: 'e40ec5ca-96e0-45a2-b4ff-59039f2c2b59'
  managedIdentityOperator: 'f1a07417-d97a-45cb-824c-7a7467783830'
  containerInstancesContributor: '5d977122-f97e-4b4d-a52f-6b43003ddb4d'
  roleBasedAccessControlAdministrator: 'f58310d9-a9f6-439a-9e8d-f62e7b41a168'
}

// Roles that would let the app escape the condition above.
var accessChangingRoles = [
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635' // Owner
  '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9' // User Access Administrator
  builtInRoles.roleBasedAccessControlAdministrator
]

var refusedRoles = filter(additionalRoleDefinitionIds, id => contains(accessChangingRoles, toLower(id)))

var workloadRoles = union(
  [
    builtInRoles.managedIdentityContributor
    builtInRoles.managedIdentityOperator
    builtInRoles.containerInstancesContributor
  ],
  empty(refusedRoles)
    ? map(additionalRoleDefinitionIds, id => toLower(id))
    : fail('additionalRoleDefinitionIds may not contain a role that changes access: ${refusedRoles[0]}')
)

// The only roles the app may assign or remove, and only to service principals (managed identities):
//   AcrPull                             7f951dda-4ed3-4680-a7ca-43fe172d538d
//   Container Registry Repository Reader b93aa761-3e63-49ed-ac28-beffa264f7ac (registries in ABAC repository mode)
//   Key Vault Secrets User              4633458b-17de-408a-b874-0445c86b69e6
// Written out literally (no expression) so that the compiled template shows exactly what Azure evaluates.
// Write is checked on the request's attributes, delete on the existing assignment's (two conditions, as the
// "Constrain roles" examples in the Azure ABAC documentation do).
var constrainRolesCondition = '((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/write\'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {7f951dda-4ed3-4680-a7ca-43fe172d538d, b93aa761-3e63-49ed-ac28-beffa264f7ac, 4633458b-17de-408a-b874-0445c86b69e6} AND @Request[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {\'ServicePrincipal\'})) AND ((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/delete\'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {7f951dda-4ed3-4680-a7ca-43fe172d538d, b93aa761-3e63-49ed-ac28-beffa264f7ac, 4633458b-17de-408a-b874-0445c86b69e6} AND @Resource[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {\'ServicePrincipal\'}))'

resource workloadAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in workloadRoles: {
    name: guid(resourceGroup().id, principalId, roleId)
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: principalId
      principalType: 'ServicePrincipal'
      description: 'Provisioning Functions: manage workloads and their identities'
    }
  }
]

resource constrainedRbacAdministrator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, builtInRoles.roleBasedAccessControlAdministrator)
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      builtInRoles.roleBasedAccessControlAdministrator
    )
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'Provisioning Functions: may assign and remove only AcrPull, Container Registry Repository Reader and Key Vault Secrets User, to service principals'
    conditionVersion: '2.0'
    condition: constrainRolesCondition
  }
}

@description('Role definition GUIDs assigned without condition in this resource group.')
output workloadRoleDefinitionIds string[] = workloadRoles
