import { type AwsJsonFake, startAwsJsonFake } from './aws-json-fake.ts'
import { statusFault } from './scripted-faults.ts'
import { type RunScript, ScriptedRuns } from './scripted-runs.ts'

export type EmrStepState =
  | 'PENDING'
  | 'CANCEL_PENDING'
  | 'RUNNING'
  | 'COMPLETED'
  | 'CANCELLED'
  | 'FAILED'
  | 'INTERRUPTED'

export interface EmrStepDetails {
  readonly omitStep?: boolean
  readonly omitStatus?: boolean
  readonly failureReason?: string
}

export interface FakeEmr extends AwsJsonFake {
  readonly steps: ScriptedRuns<EmrStepState, EmrStepDetails>
}

/** A fake Amazon EMR (JSON 1.1): AddJobFlowSteps, DescribeStep, CancelSteps. Clusters `j-MISSING*` do not exist. */
export const startFakeEmr = async (
  script: RunScript<EmrStepState, EmrStepDetails> = { states: ['RUNNING', 'COMPLETED'] },
): Promise<FakeEmr> => {
  const steps = new ScriptedRuns<EmrStepState, EmrStepDetails>('s-FAKE', script)
  const fake = await startAwsJsonFake('ElasticMapReduce', '1.1', {
    AddJobFlowSteps: (input) => {
      if (String(input.JobFlowId).startsWith('j-MISSING')) {
        return statusFault(
          400,
          'ValidationException',
          `Cluster id '${String(input.JobFlowId)}' is not valid.`,
        )
      }
      const added = ((input.Steps ?? []) as ReadonlyArray<unknown>).map((step) => steps.start(step).id)
      return { StepIds: added }
    },
    DescribeStep: (input) => {
      const step = steps.get(String(input.StepId))
      if (step === undefined)
        return statusFault(400, 'InvalidRequestException', `Step ${String(input.StepId)} not found`)
      const details = step.script.details ?? {}
      if (details.omitStep === true) return {}
      const stepInput = step.input as { Name?: string }
      if (details.omitStatus === true) return { Step: { Id: step.id, Name: stepInput.Name } }
      const state = steps.poll(step)
      return {
        Step: {
          Id: step.id,
          Name: stepInput.Name,
          Status: {
            State: state,
            ...(details.failureReason === undefined
              ? {}
              : { FailureDetails: { Reason: details.failureReason } }),
          },
        },
      }
    },
    CancelSteps: (input) => {
      const ids = (input.StepIds ?? []) as ReadonlyArray<string>
      for (const id of ids) {
        const step = steps.get(id)
        if (step !== undefined) steps.cancel(step, 'CANCELLED')
      }
      return { CancelStepsInfoList: ids.map((StepId) => ({ StepId, Status: 'SUBMITTED', Reason: '' })) }
    },
  })
  return { ...fake, steps }
}
