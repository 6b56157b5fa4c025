/** The notes of one translation, each said once. */
import type { TranslationNote } from './types';

export class Notes {
  readonly list: TranslationNote[] = [];

  add(code: string, message: string, position?: number): void {
    if (this.list.some((n) => n.code === code && n.message === message)) return;
    this.list.push(position === undefined ? { code, message } : { code, message, position });
  }
}
