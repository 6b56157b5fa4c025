/** Gremlin values, element ids and the writer's traversals (README.md, Gremlin). */
export {
  gremlinScalar,
  gremlinProperty,
  sameGremlinValue,
  describeGremlinValue,
  GremlinValueRefused,
  type GremlinProperty,
  type GremlinScalar,
} from './values';
export { vertexId, edgeId } from './ids';
export { vertexWrite, edgeWrite, existingVertices, verticesByProperties, type ElementBatch, type ElementRow, type WriteAnswer } from './traversals';
