// @ts-check
'use strict';
/**
 * Import direction (npm run lint:imports): the shape the code is meant to have.
 *
 * The engine is a stack of layers. A module may import modules of its own layer and of the levels before
 * it, never of a later level, and layers that share a level never import each other. To add a layer, add
 * its folder name to its level below; the rules are generated from this table. Each generated rule has its
 * own name (engine-layer-order:<level>, engine-siblings:<level>): the reporters show a rule's comment by name.
 */
const LEVELS = [
  ['core'], // errors, error codes, records
  ['connect', 'schema'],
  ['cypher', 'values'], // Cypher text and dialects (they name the connection's dialects); value rules
  ['plan', 'gremlin', 'query'], // the graph plan; Gremlin values, ids and traversals; Cypher queries' rows and their comparison with Postgres'
  ['run', 'probe'], // run lifecycle: checkpoints, progress; probing the data for values the rules cannot hold
  ['read', 'shape', 'write'],
  ['verify', 'migrate', 'translate'], // translate: SQL to Cypher along the plan
];

const LAYERS = LEVELS.flat();
const anyOf = (names) => `(${names.join('|')})`;
const layerPath = (names) => `^engine/${anyOf(names)}/`;

/** One rule per level that has later levels: its layers may not import any of them. */
const layerOrder = LEVELS.slice(0, -1).map((level, i) => {
  const later = LEVELS.slice(i + 1).flat();
  return {
    name: `engine-layer-order:${level.join('+')}`,
    comment: `engine/{${level.join(',')}} (level ${i}) may import only its own level and those before it, not engine/{${later.join(',')}}`,
    severity: 'error',
    from: { path: layerPath(level) },
    to: { path: layerPath(later) },
  };
});

/** One rule per level of several layers: a layer may not import a sibling on its level ($1: its own folder). */
const siblings = LEVELS.filter((level) => level.length > 1).map((level) => ({
  name: `engine-siblings:${level.join('+')}`,
  comment: `engine/{${level.join(',')}} share a level and never import each other`,
  severity: 'error',
  from: { path: layerPath(level) },
  to: { path: layerPath(level), pathNot: '^engine/$1/' },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No module depends on itself through others (engine, nodes, cli, test and scripts alike)',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerOrder,
    ...siblings,
    {
      name: 'engine-known-layers:to',
      comment: `Every folder under engine/ is a layer listed in LEVELS in .dependency-cruiser.js, so the layer rules apply to it`,
      severity: 'error',
      from: { path: '^engine/' },
      to: { path: '^engine/[^/]+/', pathNot: layerPath(LAYERS) },
    },
    {
      name: 'engine-known-layers:from',
      comment: `Every folder under engine/ is a layer listed in LEVELS in .dependency-cruiser.js, so the layer rules apply to it`,
      severity: 'error',
      from: { path: '^engine/[^/]+/', pathNot: layerPath(LAYERS) },
      to: { path: '^engine/' },
    },
    {
      name: 'engine-no-root-modules',
      comment: 'Engine modules live in a layer (errors and records in engine/core/); engine/index.ts is the only file at the root',
      severity: 'error',
      from: { path: '^engine/' },
      to: { path: '^engine/[^/]+$', pathNot: '^engine/index\\.ts$' },
    },
    {
      name: 'engine-index-via-layer-index',
      comment: "engine/index.ts re-exports the layers' public APIs (engine/<layer>/index.ts), never a deep module",
      severity: 'error',
      from: { path: '^engine/index\\.ts$' },
      to: { path: '^engine/', pathNot: '^engine/[^/]+/index\\.ts$' },
    },
    {
      name: 'engine-layer-own-index',
      comment: 'Inside a layer, modules import their siblings directly: the layer index is for the outside, and going through it makes cycles',
      severity: 'error',
      from: { path: '^engine/([^/]+)/' },
      to: { path: '^engine/$1/index\\.ts$' },
    },
    {
      name: 'engine-not-to-root-index',
      comment: 'engine/index.ts is for the outside; a layer importing it depends on every layer',
      severity: 'error',
      from: { path: '^engine/[^/]+/' },
      to: { path: '^engine/index\\.ts$' },
    },
    {
      name: 'engine-not-to-adapters',
      comment: 'The engine knows nothing of Node-RED or the command line: no node-red packages, nodes/ or cli/',
      severity: 'error',
      from: { path: '^engine/' },
      to: { path: ['^(nodes|cli)/', '^(node_modules/)?(@node-red/|node-red)'] },
    },
    {
      name: 'adapters-engine-public-api',
      comment: 'nodes/ and cli/ use the engine through engine/index.ts or a layer index (engine/<layer>/index.ts), never a deep module',
      severity: 'error',
      from: { path: '^(nodes|cli)/' },
      to: { path: '^engine/', pathNot: '^engine/(index|[^/]+/index)\\.ts$' },
    },
    {
      name: 'adapters-apart',
      comment: 'nodes/ and cli/ are two front ends of the engine and never import each other',
      severity: 'error',
      from: { path: '^(nodes|cli)/' },
      to: { path: '^(nodes|cli)/', pathNot: '^$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Build output: tests import the compiled dist/, which is not the code under these rules.
    exclude: { path: '^(dist|build|coverage|\\.cache)/' },
    // Type-only imports are design dependencies too: they count for direction and cycles.
    tsPreCompilationDeps: true,
  },
};
