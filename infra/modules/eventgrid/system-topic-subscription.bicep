// An Event Grid system topic (created here, or an existing one: Azure allows only one system topic per source)
// and one WebHook event subscription on it that delivers to the Function App's events endpoint.
// Deployed at the resource group that holds (or will hold) the topic.

@description('Name of the system topic.')
param topicName string

@description('Create the system topic (false: it exists already, e.g. because another system topic for the same source is there).')
param createTopic bool = true

@description('Region of the system topic: the source\'s region, or \'global\' for subscription and resource group sources.')
param location string

@description('Resource id of the event source (registry id, or /subscriptions/{id}).')
param source string

@description('System topic type, e.g. Microsoft.ContainerRegistry.Registries or Microsoft.Resources.Subscriptions.')
param topicType string

@description('Tags for a created system topic.')
param tags resourceInput<'Microsoft.EventGrid/systemTopics@2025-02-15'>.tags = {}

@description('Name of the event subscription.')
@maxLength(64)
param subscriptionName string

@description('WebHook URL, including the function key in the query string.')
@secure()
param endpointUrl string

@description('Event types delivered.')
param includedEventTypes string[]

@description('Only subjects that begin with this text are delivered (empty: no subject filter).')
param subjectBeginsWith string = ''

@description('Advanced filters of the subscription.')
param advancedFilters resourceInput<'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15'>.properties.filter.advancedFilters = []

@description('Events per delivery batch (the endpoint accepts a batch and reports bad events one by one).')
@minValue(1)
@maxValue(5000)
param maxEventsPerBatch int = 10

resource createdTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = if (createTopic) {
  name: topicName
  location: location
  tags: tags
  properties: {
    source: source
    topicType: topicType
  }
}

// The topic as it stands once created (or as it already was): the subscription hangs under it.
resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: topicName
}

resource eventSubscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: subscriptionName
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: endpointUrl
        maxEventsPerBatch: maxEventsPerBatch
        preferredBatchSizeInKilobytes: 64
        minimumTlsVersionAllowed: '1.2'
      }
    }
    filter: {
      includedEventTypes: includedEventTypes
      subjectBeginsWith: subjectBeginsWith
      isSubjectCaseSensitive: false
      enableAdvancedFilteringOnArrays: true
      advancedFilters: advancedFilters
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
  dependsOn: [
    createdTopic
  ]
}

@description('Resource id of the system topic.')
output topicResourceId string = topic.id

@description('Resource id of the event subscription.')
output subscriptionResourceId string = eventSubscription.id
