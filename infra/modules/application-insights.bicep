// Workspace-based Application Insights component for the Function App.

@description('Name of the Application Insights component.')
param name string

@description('Region of the component.')
param location string

@description('Tags for the component.')
param tags resourceInput<'Microsoft.Insights/components@2020-02-02'>.tags

@description('Resource id of the Log Analytics workspace that stores the telemetry.')
param workspaceResourceId string

@description('When true, only Microsoft Entra authenticated telemetry is accepted (the worker must then send with the identity too).')
param disableLocalAuth bool = false

resource component 'Microsoft.Insights/components@2020-02-02' = {
  name: name
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspaceResourceId
    IngestionMode: 'LogAnalytics'
    DisableLocalAuth: disableLocalAuth
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: 'Enabled'
  }
}

@description('Resource id of the component.')
output resourceId string = component.id

@description('Name of the component.')
output name string = component.name

@description('Connection string of the component (not a secret: it carries the instrumentation key, which only identifies the component).')
output connectionString string = component.properties.ConnectionString
