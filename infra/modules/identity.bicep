// The Function App's user-assigned managed identity: it runs the host (storage, telemetry, deployment package)
// and is the credential DefaultAzureCredential picks through AZURE_CLIENT_ID when the app calls ARM.

@description('Name of the user-assigned identity.')
param name string

@description('Region of the identity.')
param location string

@description('Tags for the identity.')
param tags resourceInput<'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30'>.tags

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id of the identity.')
output resourceId string = identity.id

@description('Name of the identity.')
output name string = identity.name

@description('Object id of the identity\'s service principal (used in role assignments).')
output principalId string = identity.properties.principalId

@description('Client id of the identity (AZURE_CLIENT_ID, AzureWebJobsStorage__clientId).')
output clientId string = identity.properties.clientId
