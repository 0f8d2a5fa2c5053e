export {
  startTopology,
  SERVICES,
  Replica,
  type Topology,
  type TopologyOptions,
  type ServiceSpec,
} from './topology.js';
export { createGateway } from './gateway.js';
