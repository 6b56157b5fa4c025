export { translateSql } from './translate';
export type { Translation, TranslationNote, TranslateOptions } from './types';
export { checkParity, type ParityOptions, type ParityResult } from './check';
