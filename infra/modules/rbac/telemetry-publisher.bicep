// Monitoring Metrics Publisher on the Application Insights component, so the identity can send telemetry with
// Microsoft Entra authentication (APPLICATIONINSIGHTS_AUTHENTICATION_STRING).

@description('Name of the Application Insights component in this resource group.')
param applicationInsightsName string

@description('Object id of the identity that sends telemetry.')
param principalId string

var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource component 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(component.id, principalId, monitoringMetricsPublisher)
  scope: component
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'Provisioning Functions: send telemetry with Microsoft Entra authentication'
  }
}
