// Every GraphQL document the UI sends, in one place, named as the server's schema names them.

export const REPOSITORIES = `query Repositories {
  repositoriesOrError {
    __typename
    ... on RepositoryConnection {
      nodes {
        name
        location { name }
        pipelines { name description isJob solidNames }
      }
    }
    ... on PythonError { message }
  }
}`;

const RUN_FIELDS = `
  id runId status pipelineName mode creationTime startTime endTime
  tags { key value }
  rootRunId parentRunId canTerminate`;

export const RUNS = `query Runs($filter: RunsFilter, $cursor: String, $limit: Int) {
  runsOrError(filter: $filter, cursor: $cursor, limit: $limit) {
    __typename
    ... on Runs { results { ${RUN_FIELDS} } }
    ... on InvalidPipelineRunsFilterError { message }
    ... on PythonError { message }
  }
}`;

export const RUN = `query Run($runId: ID!) {
  runOrError(runId: $runId) {
    __typename
    ... on Run { ${RUN_FIELDS} runConfigYaml }
    ... on RunNotFoundError { message }
    ... on PythonError { message }
  }
}`;

const EVENT_FIELDS = `
  __typename
  ... on MessageEvent { runId message timestamp level stepKey eventType }`;

// A page of a long run's log, for the scrolling view (see lib/logWindow.js): by cursor or
// position, through the view's filter, with the count of the whole view when asked.
export const LOGS_WINDOW = `query LogsWindow($runId: ID!, $filter: RunLogFilter, $afterCursor: String,
    $beforeCursor: String, $offset: Int, $fromEnd: Boolean, $limit: Int, $withCount: Boolean!) {
  logsForRun(runId: $runId, filter: $filter, afterCursor: $afterCursor, beforeCursor: $beforeCursor,
      offset: $offset, fromEnd: $fromEnd, limit: $limit) {
    __typename
    ... on EventConnection { events { ${EVENT_FIELDS} } cursor startCursor hasMore count @include(if: $withCount) }
    ... on RunNotFoundError { message }
    ... on PythonError { message }
  }
}`;

// New events of a live run when the subscription cannot be had: only how many, and where.
export const LOGS_TAIL = `query LogsTail($runId: ID!, $afterCursor: String, $limit: Int) {
  logsForRun(runId: $runId, afterCursor: $afterCursor, limit: $limit) {
    __typename
    ... on EventConnection { events { __typename } cursor hasMore }
    ... on RunNotFoundError { message }
    ... on PythonError { message }
  }
}`;

// The events the step timeline is drawn from.
export const STEP_EVENTS = `query StepEvents($runId: ID!) {
  logsForRun(runId: $runId, filter: { eventTypes: ["STEP_START", "STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED", "STEP_UP_FOR_RETRY"] }) {
    __typename
    ... on EventConnection { events { ${EVENT_FIELDS} } }
    ... on RunNotFoundError { message }
    ... on PythonError { message }
  }
}`;

export const RUN_LOGS_SUBSCRIPTION = `subscription RunLogs($runId: ID!, $cursor: String) {
  pipelineRunLogs(runId: $runId, cursor: $cursor) {
    __typename
    ... on PipelineRunLogsSubscriptionSuccess {
      messages { ${EVENT_FIELDS} }
      hasMorePastEvents cursor
      run { id status }
    }
    ... on PipelineRunLogsSubscriptionFailure { message missingRunId }
  }
}`;

export const REEXECUTE = `mutation Reexecute($params: ReexecutionParams!) {
  launchRunReexecution(reexecutionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
    ... on UnauthorizedError { message }
    ... on InvalidStepError { invalidStepKey }
    ... on RunConflict { message }
  }
}`;

export const TERMINATE = `mutation Terminate($runId: String!) {
  terminateRun(runId: $runId) {
    __typename
    ... on TerminateRunFailure { message }
    ... on RunNotFoundError { message }
    ... on PythonError { message }
    ... on UnauthorizedError { message }
  }
}`;

export const JOB = `query Job($selector: PipelineSelector!) {
  pipelineOrError(params: $selector) {
    __typename
    ... on Pipeline {
      name description isJob
      modes { name description }
      presets { name mode runConfigYaml tags { key value } }
      tags { key value }
      solids {
        name
        definition { name description }
        inputs { definition { name } dependsOn { definition { name } solid { name } } }
        outputs { definition { name } }
      }
    }
    ... on PipelineNotFoundError { message }
    ... on PythonError { message }
  }
}`;

export const JOB_PARTITIONS = `query JobPartitions($selector: PipelineSelector!) {
  pipelineOrError(params: $selector) {
    __typename
    ... on Pipeline {
      partitionKeysOrError { __typename ... on PartitionKeys { partitionKeys } }
    }
  }
}`;

export const JOB_PARTITION = `query JobPartition($selector: PipelineSelector!, $partitionName: String!) {
  pipelineOrError(params: $selector) {
    __typename
    ... on Pipeline {
      partition(partitionName: $partitionName) {
        runConfigOrError { __typename ... on PartitionRunConfig { yaml } ... on PythonError { message } }
        tagsOrError { __typename ... on PartitionTags { results { key value } } ... on PythonError { message } }
      }
    }
  }
}`;

// The schema comes as JSON Schema (`jsonSchema`); `schemaFromAnswer` also reads typed
// `allConfigTypes` should a server answer those instead.
export const CONFIG_SCHEMA = `query ConfigSchema($selector: PipelineSelector!, $mode: String) {
  runConfigSchemaOrError(selector: $selector, mode: $mode) {
    __typename
    ... on RunConfigSchema { rootDefaultYaml jsonSchema }
    ... on PipelineNotFoundError { message }
    ... on ModeNotFoundError { message }
    ... on NoModeProvidedError { message }
    ... on InvalidSubsetError { message }
    ... on PythonError { message }
  }
}`;

export const VALIDATE = `query Validate($selector: PipelineSelector!, $mode: String!, $runConfigData: RunConfigData) {
  isPipelineConfigValid(pipeline: $selector, mode: $mode, runConfigData: $runConfigData) {
    __typename
    ... on RunConfigValidationInvalid {
      errors {
        __typename message path reason
        ... on FieldNotDefinedConfigError { fieldName }
        ... on FieldsNotDefinedConfigError { fieldNames }
      }
    }
    ... on PipelineNotFoundError { message }
    ... on InvalidSubsetError { message }
    ... on ModeNotFoundError { message }
    ... on NoModeProvidedError { message }
    ... on PythonError { message }
  }
}`;

export const LAUNCH = `mutation Launch($executionParams: ExecutionParams!) {
  launchRun(executionParams: $executionParams) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on RunConfigValidationInvalid { errors { message path reason } }
    ... on ModeNotFoundError { message }
    ... on NoModeProvidedError { message }
    ... on PipelineNotFoundError { message }
    ... on InvalidSubsetError { message }
    ... on RunConflict { message }
    ... on UnauthorizedError { message }
    ... on PythonError { message }
  }
}`;

export const ASSETS = `query Assets {
  assetNodes {
    id
    assetKey { path }
    groupName description isPartitioned jobNames
    dependencyKeys { path }
    assetMaterializations(limit: 1) { timestamp runId partition }
    staleStatus
    staleCauses { reason }
  }
}`;

// The lineage graph of every asset at once, as parallel lists (see the server's AssetLineage).
export const ASSET_LINEAGE = `query AssetLineage {
  assetLineage { keys groups statuses edges }
}`;

export const ASSET = `query Asset($assetKey: AssetKeyInput!) {
  assetNodes(assetKeys: [$assetKey]) {
    id assetKey { path } groupName description isPartitioned jobNames
    dependencyKeys { path } dependedByKeys { path }
    assetMaterializations(limit: 20) { timestamp runId partition }
    staleStatus staleCauses { reason }
    partitionKeys
    partitionStatuses
  }
}`;

export const RESOURCES = `query Resources($repositorySelector: RepositorySelector!) {
  allTopLevelResourceDetailsOrError(repositorySelector: $repositorySelector) {
    __typename
    ... on ResourceDetailsList {
      results {
        name description resourceType
        configSchema
        configuredValues { key value type }
        jobsOpsUsing { jobName }
        assetKeysUsing { path }
      }
    }
    ... on RepositoryNotFoundError { message }
    ... on PythonError { message }
  }
}`;

const TICKS = `ticks(limit: 10) { id status timestamp runIds skipReason error { message } }`;

export const AUTOMATION = `query Automation($repositorySelector: RepositorySelector!) {
  schedulesOrError(repositorySelector: $repositorySelector) {
    __typename
    ... on Schedules {
      results {
        id name cronSchedule pipelineName executionTimezone description
        scheduleState { id selectorId status ${TICKS} }
      }
    }
    ... on PythonError { message }
  }
  sensorsOrError(repositorySelector: $repositorySelector) {
    __typename
    ... on Sensors {
      results {
        id name description minIntervalSeconds jobOriginId
        targets { pipelineName }
        sensorState { id selectorId status ${TICKS} }
      }
    }
    ... on PythonError { message }
  }
}`;

export const START_SCHEDULE = `mutation StartSchedule($scheduleSelector: ScheduleSelector!) {
  startSchedule(scheduleSelector: $scheduleSelector) {
    __typename
    ... on ScheduleStateResult { scheduleState { id status } }
    ... on UnauthorizedError { message }
    ... on PythonError { message }
  }
}`;

export const STOP_SCHEDULE = `mutation StopSchedule($id: String!) {
  stopRunningSchedule(id: $id) {
    __typename
    ... on ScheduleStateResult { scheduleState { id status } }
    ... on UnauthorizedError { message }
    ... on PythonError { message }
  }
}`;

export const START_SENSOR = `mutation StartSensor($sensorSelector: SensorSelector!) {
  startSensor(sensorSelector: $sensorSelector) {
    __typename
    ... on Sensor { id sensorState { status } }
    ... on UnauthorizedError { message }
    ... on PythonError { message }
  }
}`;

export const STOP_SENSOR = `mutation StopSensor($id: String!) {
  stopSensor(id: $id) {
    __typename
    ... on StopSensorMutationResult { instigationState { id status } }
    ... on UnauthorizedError { message }
    ... on PythonError { message }
  }
}`;

export const DAEMON_HEALTH = `query DaemonHealth {
  instance {
    daemonHealth {
      id
      allDaemonStatuses {
        daemonType required healthy lastHeartbeatTime
        lastHeartbeatErrors { message }
      }
    }
  }
}`;
