export { type Projection, subscriptionName } from './projection.ts'
export { ProjectionRunner, type RunnerOptions, rebuildProjection } from './projection-runner.ts'
