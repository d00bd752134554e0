/**
 * One interface over Chaos Mesh and LitmusChaos: create an experiment object, observe it through a
 * resumable watch, stop it, and delete it (waiting for the controllers' finalizers). Every driver
 * states what it can do, so the run loop never assumes a capability a driver lacks.
 */
import { chaosMeshDriver } from './chaos-mesh.js'
import type { ChaosDriver, DriverName } from './common.js'
import { litmusDriver } from './litmus.js'

export * from './common.js'
export { chaosMeshDriver, litmusDriver }

export function driverFor(name: DriverName): ChaosDriver {
  return name === 'chaos-mesh' ? chaosMeshDriver : litmusDriver
}

