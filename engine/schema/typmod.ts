import type { PgTypeInfo } from './model';

type Typmod = NonNullable<PgTypeInfo['typmod']>;

/** Postgres stores varlena lengths and numeric typmods offset by the 4-byte header size (VARHDRSZ). */
const VARHDRSZ = 4;
/** interval typmods keep the precision in the low 16 bits; this value means "no precision given". */
const INTERVAL_FULL_PRECISION = 0xffff;

/**
 * Decodes pg_attribute.atttypmod (or pg_type.typtypmod of a domain) for the types whose modifier carries a
 * length, a precision or a scale. Undefined when the type has none or the typmod is -1 (unconstrained).
 */
export function decodeTypmod(typeName: string, typmod: number): Typmod | undefined {
  if (typmod < 0) return undefined;
  switch (typeName) {
    case 'numeric': {
      if (typmod < VARHDRSZ) return undefined;
      const packed = typmod - VARHDRSZ;
      const precision = (packed >> 16) & 0xffff;
      // the scale is an 11-bit signed field (negative scales exist since PG 15)
      const scale = ((packed & 0x7ff) ^ 0x400) - 0x400;
      return { precision, scale };
    }
    case 'varchar':
    case 'bpchar':
      return typmod >= VARHDRSZ ? { length: typmod - VARHDRSZ } : undefined;
    case 'bit':
    case 'varbit':
      return { length: typmod };
    case 'time':
    case 'timetz':
    case 'timestamp':
    case 'timestamptz':
      return { precision: typmod };
    case 'interval': {
      const precision = typmod & 0xffff;
      return precision === INTERVAL_FULL_PRECISION ? undefined : { precision };
    }
    default:
      return undefined;
  }
}
