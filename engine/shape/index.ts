export { shapeNodes, compileNodeShaper, checkOnInvalid, type NodeShaper, type ShapeOptions } from './nodes';
export { shapeRelationships, compileRelationshipShaper, type RelationshipShaper } from './relationships';
export { fromJs } from './js-values';
export { nodeEntryFromSettings, refineNodeEntry, type NodeMappingSettings } from './settings-entry';
export { shapingCounts } from './counts';
