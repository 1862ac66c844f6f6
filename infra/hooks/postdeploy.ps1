# azd postdeploy hook (Windows): same as postdeploy.sh. Subscribes Event Grid to the deployed events endpoint
# (infra/eventgrid.bicep) once the code is deployed, because Event Grid validates a WebHook when the
# subscription is created. Needs the Azure CLI signed in (az login).
$ErrorActionPreference = 'Stop'

if ($env:PROVISIONING_SKIP_EVENT_SUBSCRIPTIONS -eq 'true') {
  Write-Host 'postdeploy: PROVISIONING_SKIP_EVENT_SUBSCRIPTIONS=true, Event Grid subscriptions left as they are.'
  exit 0
}

if (-not (Get-Command az -ErrorAction SilentlyContinue)) {
  Write-Error "postdeploy: the Azure CLI (az) is needed to deploy infra/eventgrid.bicep; install it, run 'az login', then 'azd hooks run postdeploy'."
  exit 1
}

if (-not $env:AZURE_RESOURCE_GROUP -or -not $env:AZURE_FUNCTION_APP_NAME) {
  Write-Error 'postdeploy: AZURE_RESOURCE_GROUP or AZURE_FUNCTION_APP_NAME is not set (run azd provision first).'
  exit 1
}

$envName = if ($env:AZURE_ENV_NAME) { $env:AZURE_ENV_NAME } else { 'provisioning' }
$arguments = @(
  'deployment', 'group', 'create',
  '--resource-group', $env:AZURE_RESOURCE_GROUP,
  '--name', "eventgrid-$envName",
  '--template-file', './infra/eventgrid.bicep',
  '--output', 'none',
  '--parameters', "functionAppName=$($env:AZURE_FUNCTION_APP_NAME)"
)
if ($env:EVENTGRID_REGISTRY_IDS) { $arguments += "registryIds=$($env:EVENTGRID_REGISTRY_IDS)" }
if ($env:PROVISIONING_EXISTING_SUBSCRIPTION_TOPIC_ID) {
  $arguments += "existingSubscriptionSystemTopicId=$($env:PROVISIONING_EXISTING_SUBSCRIPTION_TOPIC_ID)"
}
if ($env:AZURE_SUBSCRIPTION_ID) { $arguments += @('--subscription', $env:AZURE_SUBSCRIPTION_ID) }

$maxAttempts = 3
for ($attempt = 1; $attempt -le $maxAttempts; $attempt++) {
  Write-Host "postdeploy: deploying Event Grid subscriptions to $($env:AZURE_FUNCTION_APP_NAME) (attempt $attempt/$maxAttempts)"
  & az @arguments
  if ($LASTEXITCODE -eq 0) {
    Write-Host 'postdeploy: Event Grid subscriptions are in place.'
    exit 0
  }
  if ($attempt -lt $maxAttempts) {
    # A freshly deployed Flex Consumption app may still be starting or syncing its triggers.
    Start-Sleep -Seconds 30
  }
}
Write-Error "postdeploy: Event Grid could not validate the endpoint; check that ProvisioningEvents answers the SubscriptionValidationEvent, then run 'azd hooks run postdeploy'."
exit 1
