// Second entry point: the Event Grid subscriptions that deliver to the Function App's events endpoint.
// Event Grid validates a WebHook endpoint when the subscription is created (SubscriptionValidationEvent), so
// this runs only after the code is deployed: azure.yaml's postdeploy hook (infra/hooks/postdeploy.*) deploys it
// into the app's resource group with `az deployment group create`. See infra/README.md.
targetScope = 'resourceGroup'

@description('Name of the Function App (in this resource group), deployed and running.')
param functionAppName string

@description('Route of the HTTP-triggered function ProvisioningEvents, below https://{host}/.')
param eventsRoute string = 'api/events'

@description('Comma-separated resource ids of the container registries whose ImagePushed/ImageDeleted events start runs.')
param registryIds string = ''

@description('Existing system topics for registries, by lower-case registry resource id: Azure allows one system topic per source. Value: resource id of the existing system topic.')
param existingRegistrySystemTopicIds { *: string } = {}

@description('Deliver the subscription\'s resource group write/delete events (Microsoft.Resources.Subscriptions system topic).')
param deployResourceGroupEvents bool = true

@description('Resource id of an existing Microsoft.Resources.Subscriptions system topic for this subscription (empty: create one here).')
param existingSubscriptionSystemTopicId string = ''

@description('ARM operations whose ResourceWriteSuccess/ResourceDeleteSuccess events are delivered (data.operationName). Add e.g. Microsoft.ContainerInstance/containerGroups/delete to hear of deleted workloads.')
param resourceOperationNames string[] = [
  'Microsoft.Resources/subscriptions/resourceGroups/write'
  'Microsoft.Resources/subscriptions/resourceGroups/delete'
]

@description('Tags for the system topics created here.')
param tags resourceInput<'Microsoft.EventGrid/systemTopics@2025-02-15'>.tags = {}

var registryIdList = filter(map(split(registryIds, ','), id => trim(id)), id => !empty(id))
var subscriptionTopicGroupId = empty(existingSubscriptionSystemTopicId)
  ? resourceGroup().id
  : existingSubscriptionSystemTopicId
var subscriptionName = take('provisioning-${functionAppName}', 64)

resource functionApp 'Microsoft.Web/sites@2024-11-01' existing = {
  name: functionAppName
}

// The function-level key used by Event Grid: the host's default function key (valid for every function of the
// app, including ProvisioningEvents). Read at deployment time, never output.
var functionKey = listKeys('${functionApp.id}/host/default', '2024-11-01').functionKeys.default
var endpointUrl = 'https://${functionApp.properties.defaultHostName}/${eventsRoute}?code=${functionKey}'

resource registries 'Microsoft.ContainerRegistry/registries@2025-11-01' existing = [
  for id in registryIdList: {
    name: last(split(id, '/'))
    scope: resourceGroup(split(id, '/')[2], split(id, '/')[4])
  }
]

module registryEvents 'modules/eventgrid/system-topic-subscription.bicep' = [
  for (id, i) in registryIdList: {
    name: 'eventgrid-registry-${i}'
    scope: resourceGroup(
      split(existingRegistrySystemTopicIds[?toLower(id)] ?? resourceGroup().id, '/')[2],
      split(existingRegistrySystemTopicIds[?toLower(id)] ?? resourceGroup().id, '/')[4]
    )
    params: {
      createTopic: !contains(existingRegistrySystemTopicIds, toLower(id))
      topicName: contains(existingRegistrySystemTopicIds, toLower(id))
        ? last(split(existingRegistrySystemTopicIds[toLower(id)], '/'))
        : take('evgt-acr-${registries[i].name}', 128)
      location: registries[i].location
      source: registries[i].id
      topicType: 'Microsoft.ContainerRegistry.Registries'
      tags: tags
      subscriptionName: subscriptionName
      endpointUrl: endpointUrl
      includedEventTypes: [
        'Microsoft.ContainerRegistry.ImagePushed'
        'Microsoft.ContainerRegistry.ImageDeleted'
      ]
    }
  }
]

module resourceGroupEvents 'modules/eventgrid/system-topic-subscription.bicep' = if (deployResourceGroupEvents) {
  name: 'eventgrid-resource-groups'
  scope: resourceGroup(split(subscriptionTopicGroupId, '/')[2], split(subscriptionTopicGroupId, '/')[4])
  params: {
    createTopic: empty(existingSubscriptionSystemTopicId)
    topicName: empty(existingSubscriptionSystemTopicId)
      ? 'evgt-sub-${uniqueString(subscription().id)}'
      : last(split(existingSubscriptionSystemTopicId, '/'))
    location: 'global'
    source: subscription().id
    topicType: 'Microsoft.Resources.Subscriptions'
    tags: tags
    subscriptionName: subscriptionName
    endpointUrl: endpointUrl
    includedEventTypes: [
      'Microsoft.Resources.ResourceWriteSuccess'
      'Microsoft.Resources.ResourceDeleteSuccess'
    ]
    subjectBeginsWith: '${subscription().id}/resourceGroups/'
    advancedFilters: [
      {
        operatorType: 'StringIn'
        key: 'data.operationName'
        values: resourceOperationNames
      }
    ]
  }
}

@description('Resource ids of the registries\' system topics.')
output registrySystemTopicIds string[] = [for i in range(0, length(registryIdList)): registryEvents[i].outputs.topicResourceId]

@description('Resource id of the subscription\'s system topic (empty when resource group events are off).')
output subscriptionSystemTopicId string = deployResourceGroupEvents ? resourceGroupEvents!.outputs.topicResourceId : ''

@description('Events endpoint the subscriptions deliver to (without the key).')
output eventsEndpoint string = 'https://${functionApp.properties.defaultHostName}/${eventsRoute}'
