export { compileValue, resolveRule, type TextConverter, type ValueSpec, type ValueSite } from './convert';
export { ValueError } from './value-error';
export { parseArrayLiteral, type ParsedArray, type ArrayTree } from './parse/array-literal';
export { isFlattened, type Flattened } from './parse/json-flatten';
export { readTypeLabel, typeInfoFromLabel } from './type-label';
export * from './rules';
