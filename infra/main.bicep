// Provisioning Functions: everything `azd provision` creates, in the environment's resource group.
//
// Resource group scope, not subscription scope, on purpose: `azd down` on a subscription-scoped deployment
// deletes every resource group that holds a resource of the deployment, and this template places role
// assignments in the target resource groups (the workloads' groups). With resource group scope azd deletes
// only AZURE_RESOURCE_GROUP (azd creates or selects it before provisioning).
//
// The Event Grid subscriptions are not here: they need the code deployed (see eventgrid.bicep, README.md).
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; part of the resource names\' hash and the azd-env-name tag.')
param environmentName string

@minLength(1)
@description('Region of the Function App and its dependencies (a region that offers Flex Consumption).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the person or principal running azd (AZURE_PRINCIPAL_ID). When set, it gets data access to the host storage account, to run the app locally against it. Empty: nothing.')
param principalId string = ''

@description('Kind of principalId.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

@description('Comma-separated names of the resource groups (in this subscription) where the app creates identities and workloads and grants roles. The resource groups of the registries in registryIds are added automatically.')
param targetResourceGroupNames string = ''

@description('Comma-separated resource ids of the container registries the app watches and grants AcrPull/Repository Reader on. Their resource groups become targets (the grant is made at registry scope).')
param registryIds string = ''

@description('Comma-separated extra role definition GUIDs granted in every target resource group for other workload kinds (e.g. Container Registry Tasks Contributor fb382eab-e894-4461-af04-94435c366c3f, Container Apps Contributor 358470bc-b998-42bd-ab17-a7e34c199c0f, Key Vault Contributor f25e0fa2-a7c8-4377-a976-54943a77a395). See README.md.')
param additionalTargetRoleDefinitionIds string = ''

@description('NCRONTAB schedule (six fields) of the drift-repair timer, Provisioning__Drift__Schedule. Empty: every 15 minutes.')
param driftSchedule string = ''

@description('Memory of each Function App instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Upper bound on the number of Function App instances.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = {
  'azd-env-name': environmentName
}
var functionAppName = 'func-${resourceToken}'
var effectiveDriftSchedule = empty(driftSchedule) ? '0 */15 * * * *' : driftSchedule
var deploymentContainerName = 'deployment-package'
var storageAccountName = 'st${resourceToken}'
var applicationInsightsName = 'appi-${resourceToken}'

var registryIdList = filter(map(split(registryIds, ','), id => trim(id)), id => !empty(id))
var additionalRoleIdList = filter(map(split(additionalTargetRoleDefinitionIds, ','), id => trim(id)), id => !empty(id))

// Target resource groups as {subscriptionId, resourceGroupName}, de-duplicated case-insensitively: the named
// groups of this subscription plus the registries' groups.
var targetGroups = union(
  map(
    filter(map(split(targetResourceGroupNames, ','), rg => trim(rg)), rg => !empty(rg)),
    rg => {
      subscriptionId: toLower(subscription().subscriptionId)
      resourceGroupName: toLower(rg)
    }
  ),
  map(registryIdList, id => {
    subscriptionId: toLower(split(id, '/')[2])
    resourceGroupName: toLower(split(id, '/')[4])
  })
)

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: 'id-${functionAppName}'
    location: location
    tags: tags
  }
}

module logAnalytics 'modules/log-analytics.bicep' = {
  name: 'log-analytics'
  params: {
    name: 'log-${resourceToken}'
    location: location
    tags: tags
  }
}

module applicationInsights 'modules/application-insights.bicep' = {
  name: 'application-insights'
  params: {
    name: applicationInsightsName
    location: location
    tags: tags
    workspaceResourceId: logAnalytics.outputs.resourceId
    // The host and the worker both send with the app's identity (APPLICATIONINSIGHTS_AUTHENTICATION_STRING, Monitoring
    // Metrics Publisher), so the instrumentation key alone is refused.
    disableLocalAuth: true
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: storageAccountName
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
  }
}

// Role assignment names are guid(scope, principalId, role): a re-created identity (azd down, then up) gets new
// assignments instead of colliding with the orphaned ones (RoleAssignmentUpdateNotPermitted). The principal id
// is known only once the identity exists, so What-If cannot predict these names: accepted on purpose.
module appStorageAccess 'modules/rbac/storage-data-access.bicep' = {
  name: 'rbac-storage-app'
  params: {
    storageAccountName: storageAccountName
    #disable-next-line what-if-short-circuiting
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
  }
  dependsOn: [
    storage
  ]
}

module developerStorageAccess 'modules/rbac/storage-data-access.bicep' = if (!empty(principalId)) {
  name: 'rbac-storage-developer'
  params: {
    storageAccountName: storageAccountName
    principalId: principalId
    principalType: principalType
  }
  dependsOn: [
    storage
  ]
}

module telemetryPublisher 'modules/rbac/telemetry-publisher.bicep' = {
  name: 'rbac-telemetry'
  params: {
    applicationInsightsName: applicationInsightsName
    #disable-next-line what-if-short-circuiting
    principalId: identity.outputs.principalId
  }
  dependsOn: [
    applicationInsights
  ]
}

module targetAccess 'modules/rbac/target-resource-group.bicep' = [
  for group in targetGroups: {
    name: take('rbac-${resourceToken}-${group.resourceGroupName}', 64)
    scope: resourceGroup(group.subscriptionId, group.resourceGroupName)
    params: {
      #disable-next-line what-if-short-circuiting
      principalId: identity.outputs.principalId
      additionalRoleDefinitionIds: additionalRoleIdList
    }
  }
]

module plan 'modules/hosting-plan.bicep' = {
  name: 'hosting-plan'
  params: {
    name: 'plan-${resourceToken}'
    location: location
    tags: tags
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  params: {
    name: functionAppName
    location: location
    tags: union(tags, {
      'azd-service-name': 'functions'
    })
    planResourceId: plan.outputs.resourceId
    identityResourceId: identity.outputs.resourceId
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsConnectionString: applicationInsights.outputs.connectionString
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    appSettings: {
      Provisioning__Azure__SubscriptionId: subscription().subscriptionId
      Provisioning__Drift__Schedule: effectiveDriftSchedule
    }
  }
  // The host must reach its storage and the deployment container with the identity from its first start.
  dependsOn: [
    appStorageAccess
    telemetryPublisher
  ]
}

@description('Tenant of the deployment.')
output AZURE_TENANT_ID string = tenant().tenantId

@description('Region of the deployment.')
output AZURE_LOCATION string = location

@description('Name of the Function App (used by the postdeploy hook).')
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name

@description('Name of the Function App (azd service functions).')
output SERVICE_FUNCTIONS_NAME string = functionApp.outputs.name

@description('Default host name of the Function App.')
output FUNCTION_APP_DEFAULT_HOSTNAME string = functionApp.outputs.defaultHostName

@description('Event Grid / HTTP events endpoint, without the function key.')
output PROVISIONING_EVENTS_ENDPOINT string = 'https://${functionApp.outputs.defaultHostName}/api/events'

@description('Resource id of the app\'s user-assigned identity.')
output AZURE_FUNCTION_IDENTITY_RESOURCE_ID string = identity.outputs.resourceId

@description('Object (principal) id of the app\'s user-assigned identity.')
output AZURE_FUNCTION_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId

@description('Client id of the app\'s user-assigned identity (AZURE_CLIENT_ID of the app).')
output AZURE_FUNCTION_IDENTITY_CLIENT_ID string = identity.outputs.clientId

@description('Name of the host storage account.')
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name

@description('Application Insights connection string.')
output APPLICATIONINSIGHTS_CONNECTION_STRING string = applicationInsights.outputs.connectionString

@description('Registries whose events the postdeploy hook subscribes to (comma-separated resource ids).')
output EVENTGRID_REGISTRY_IDS string = join(registryIdList, ',')

@description('Resource groups where the app holds its constrained roles, as subscriptionId/resourceGroupName.')
output PROVISIONING_TARGET_RESOURCE_GROUPS string[] = map(targetGroups, group => '${group.subscriptionId}/${group.resourceGroupName}')
