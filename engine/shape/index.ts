export { shapeNodes, compileNodeShaper, type NodeShaper } from './nodes';
export { shapeRelationships, compileRelationshipShaper, type RelationshipShaper } from './relationships';
export { toJsNative, fromJs } from './js-values';
export { nodeEntryFromSettings, refineNodeEntry, type NodeMappingSettings } from './settings-entry';
