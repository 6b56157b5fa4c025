/**
 * Element ids on a Gremlin server (README.md, Gremlin): a vertex is "<label>:<key value>[:<key value>…]" exactly
 * as the Neptune dialect and the Neptune export name it, and an edge is "<type>:<start id>:<end id>", so a re-run
 * finds every element it wrote, in either mode, and a composite key stays unambiguous (":" and "\" escaped).
 */
import { neptuneNodeId } from '../cypher/neptune-id';

export function vertexId(label: string, keyValues: readonly unknown[]): string {
  return neptuneNodeId(label, keyValues);
}

export function edgeId(type: string, from: string, to: string): string {
  return neptuneNodeId(type, [from, to]);
}
