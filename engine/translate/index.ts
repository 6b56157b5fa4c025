export { translateSql } from './translate';
export type { Translation, TranslationNote, TranslateOptions } from './types';
