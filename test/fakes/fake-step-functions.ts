import { type AwsJsonFake, startAwsJsonFake } from './aws-json-fake.ts'
import { statusFault } from './scripted-faults.ts'
import { type RunScript, ScriptedRuns } from './scripted-runs.ts'

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE'

export interface ExecutionDetails {
  readonly error?: string
  readonly cause?: string
  readonly output?: string
}

export interface FakeStepFunctions extends AwsJsonFake {
  readonly executions: ScriptedRuns<ExecutionStatus, ExecutionDetails>
}

const START_DATE = 1_767_225_600

/**
 * A fake AWS Step Functions (JSON 1.0): StartExecution (idempotent on the execution name, as a standard
 * workflow is), DescribeExecution, StopExecution. State machines whose name starts with `missing` do not exist.
 */
export const startFakeStepFunctions = async (
  script: RunScript<ExecutionStatus, ExecutionDetails> = { states: ['RUNNING', 'SUCCEEDED'] },
): Promise<FakeStepFunctions> => {
  const executions = new ScriptedRuns<ExecutionStatus, ExecutionDetails>('', script)
  const fake = await startAwsJsonFake('AWSStepFunctions', '1.0', {
    StartExecution: (input) => {
      const machine = String(input.stateMachineArn)
      const machineName = machine.split(':').at(-1) ?? ''
      if (machineName.startsWith('missing')) {
        return statusFault(400, 'StateMachineDoesNotExist', `State Machine Does Not Exist: '${machine}'`)
      }
      const name = typeof input.name === 'string' ? input.name : `exec-${executions.all().length + 1}`
      const arn = `${machine.replace(':stateMachine:', ':execution:')}:${name}`
      const existing = executions.get(arn)
      if (existing !== undefined) {
        const previous = existing.input as Record<string, unknown>
        if (previous.input !== input.input) {
          return statusFault(400, 'ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`)
        }
        return { executionArn: arn, startDate: START_DATE }
      }
      executions.start(input, arn)
      return { executionArn: arn, startDate: START_DATE }
    },
    DescribeExecution: (input) => {
      const execution = executions.get(String(input.executionArn))
      if (execution === undefined) {
        return statusFault(
          400,
          'ExecutionDoesNotExist',
          `Execution Does Not Exist: '${String(input.executionArn)}'`,
        )
      }
      const started = execution.input as Record<string, unknown>
      const details = execution.script.details ?? {}
      return {
        executionArn: execution.id,
        stateMachineArn: started.stateMachineArn,
        name: execution.id.split(':').at(-1),
        status: executions.poll(execution),
        startDate: START_DATE,
        ...(started.input === undefined ? {} : { input: started.input }),
        ...(details.output === undefined ? {} : { output: details.output }),
        ...(details.error === undefined ? {} : { error: details.error }),
        ...(details.cause === undefined ? {} : { cause: details.cause }),
      }
    },
    StopExecution: (input) => {
      const execution = executions.get(String(input.executionArn))
      if (execution === undefined) {
        return statusFault(
          400,
          'ExecutionDoesNotExist',
          `Execution Does Not Exist: '${String(input.executionArn)}'`,
        )
      }
      executions.cancel(execution, 'ABORTED')
      return { stopDate: START_DATE + 60 }
    },
  })
  return { ...fake, executions }
}
