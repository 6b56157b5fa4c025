export { shapeNodes, compileNodeShaper, type NodeShaper } from './nodes';
export { shapeRelationships, compileRelationshipShaper, type RelationshipShaper } from './relationships';
export { relationshipEnds, nodeLabels, type RelationshipEnds, type EndInfo } from './ends';
export { toJsNative, fromJs } from './js-values';
export { nodeEntryFromSettings, type NodeMappingSettings } from './settings-entry';
