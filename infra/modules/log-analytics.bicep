// Log Analytics workspace that backs the workspace-based Application Insights component.

@description('Name of the Log Analytics workspace.')
param name string

@description('Region of the workspace.')
param location string

@description('Tags for the workspace.')
param tags resourceInput<'Microsoft.OperationalInsights/workspaces@2023-09-01'>.tags

@description('Days of retention for the workspace data.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    features: {
      enableLogAccessUsingOnlyResourcePermissions: true
    }
  }
}

@description('Resource id of the workspace.')
output resourceId string = workspace.id

@description('Name of the workspace.')
output name string = workspace.name
