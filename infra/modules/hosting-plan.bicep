// Flex Consumption (FC1) plan for the Function App.

@description('Name of the plan.')
param name string

@description('Region of the plan.')
param location string

@description('Tags for the plan.')
param tags resourceInput<'Microsoft.Web/serverfarms@2024-11-01'>.tags

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

@description('Resource id of the plan.')
output resourceId string = plan.id
