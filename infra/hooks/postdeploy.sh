#!/bin/sh
# azd postdeploy hook: subscribe Event Grid to the deployed events endpoint (infra/eventgrid.bicep).
# Event Grid validates a WebHook when the subscription is created, so this runs after the code is deployed.
# azd passes the environment's values (and main.bicep's outputs) as environment variables.
# Needs the Azure CLI, signed in to the same tenant (az login). Set PROVISIONING_SKIP_EVENT_SUBSCRIPTIONS=true
# to skip. Optional: PROVISIONING_EXISTING_SUBSCRIPTION_TOPIC_ID (resource id of an existing
# Microsoft.Resources.Subscriptions system topic: Azure allows one per subscription).
set -eu

if [ "${PROVISIONING_SKIP_EVENT_SUBSCRIPTIONS:-false}" = "true" ]; then
  echo "postdeploy: PROVISIONING_SKIP_EVENT_SUBSCRIPTIONS=true, Event Grid subscriptions left as they are."
  exit 0
fi

if ! command -v az >/dev/null 2>&1; then
  echo "postdeploy: the Azure CLI (az) is needed to deploy infra/eventgrid.bicep; install it, run 'az login', then 'azd hooks run postdeploy'." >&2
  exit 1
fi

: "${AZURE_RESOURCE_GROUP:?postdeploy: AZURE_RESOURCE_GROUP is not set (run azd provision first)}"
: "${AZURE_FUNCTION_APP_NAME:?postdeploy: AZURE_FUNCTION_APP_NAME is not set (run azd provision first)}"

attempt=1
max_attempts=3
while :; do
  echo "postdeploy: deploying Event Grid subscriptions to ${AZURE_FUNCTION_APP_NAME} (attempt ${attempt}/${max_attempts})"
  if az deployment group create \
    ${AZURE_SUBSCRIPTION_ID:+--subscription "$AZURE_SUBSCRIPTION_ID"} \
    --resource-group "$AZURE_RESOURCE_GROUP" \
    --name "eventgrid-${AZURE_ENV_NAME:-provisioning}" \
    --template-file ./infra/eventgrid.bicep \
    --parameters \
      functionAppName="$AZURE_FUNCTION_APP_NAME" \
      ${EVENTGRID_REGISTRY_IDS:+"registryIds=$EVENTGRID_REGISTRY_IDS"} \
      ${PROVISIONING_EXISTING_SUBSCRIPTION_TOPIC_ID:+"existingSubscriptionSystemTopicId=$PROVISIONING_EXISTING_SUBSCRIPTION_TOPIC_ID"} \
    --output none; then
    echo "postdeploy: Event Grid subscriptions are in place."
    exit 0
  fi
  if [ "$attempt" -ge "$max_attempts" ]; then
    echo "postdeploy: Event Grid could not validate the endpoint; check that ProvisioningEvents answers the SubscriptionValidationEvent, then run 'azd hooks run postdeploy'." >&2
    exit 1
  fi
  # A freshly deployed Flex Consumption app may still be starting or syncing its triggers.
  attempt=$((attempt + 1))
  sleep 30
done
