/**
 * GraphBinary with the Java types the graph must get (README.md, Gremlin: values). The `gremlin` client sends a
 * JS number as Int when it fits 32 bits and as Double only when it has a fraction, and a BigInt as BigInteger,
 * which Neptune refuses; it reads a Long back as a lossy JS number. So a value that must be a Long or a Double is
 * wrapped (GremlinLong, GremlinDouble), and this connection's reader and writer extend the client's GraphBinary
 * for the duration of one (synchronous) encode or decode: a Long reads as an exact GremlinLong, a Double as a
 * GremlinDouble, so what comes back says which Java type the server holds. Other users of the client's module
 * are untouched: the extension is in place only inside our own calls.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ioc = require('gremlin/lib/structure/io/binary/GraphBinary') as GraphBinaryIoc;

interface Serializer {
  serialize(item: unknown, fullyQualifiedFormat?: boolean): Buffer;
  deserialize(buffer: Buffer, fullyQualifiedFormat?: boolean): { v: unknown; len: number };
  canBeUsedFor?(item: unknown): boolean;
}

interface GraphBinaryIoc {
  DataType: Record<string, number>;
  serializers: Record<number, Serializer>;
  anySerializer: { serializers: Serializer[] };
  longSerializer: Serializer;
  /** Reads a Long as an exact BigInt. */
  longSerializerNg: Serializer;
  doubleSerializer: Serializer;
  graphBinaryReader: { readResponse(buffer: Buffer): unknown };
  graphBinaryWriter: { writeRequest(request: unknown): Buffer };
}

/** A 64-bit integer the server must hold as java.lang.Long. */
export class GremlinLong {
  constructor(readonly value: bigint) {}
  toString(): string {
    return this.value.toString();
  }
}

/** A number the server must hold as java.lang.Double (also when it has no fraction: 3.0, -0.0). */
export class GremlinDouble {
  constructor(readonly value: number) {}
  toString(): string {
    return Object.is(this.value, -0) ? '-0.0' : String(this.value);
  }
}

const wrapped: Serializer = {
  canBeUsedFor: (item) => item instanceof GremlinLong || item instanceof GremlinDouble,
  serialize(item, fullyQualifiedFormat = true) {
    if (item instanceof GremlinLong) return ioc.longSerializer.serialize(item.value, fullyQualifiedFormat);
    return ioc.doubleSerializer.serialize((item as GremlinDouble).value, fullyQualifiedFormat);
  },
  deserialize() {
    throw new Error('not a reader');
  },
};

function tagged(base: Serializer, wrap: (value: unknown) => unknown): Serializer {
  return {
    serialize: (item, fullyQualifiedFormat) => base.serialize(item, fullyQualifiedFormat),
    deserialize(buffer, fullyQualifiedFormat) {
      const { v, len } = base.deserialize(buffer, fullyQualifiedFormat);
      return { v: v === null || v === undefined ? v : wrap(v), len };
    },
  };
}

const LONG = ioc.DataType.LONG;
const DOUBLE = ioc.DataType.DOUBLE;
const exactLong = ioc.longSerializerNg;
const longReader = tagged(exactLong, (v) => new GremlinLong(BigInt(v as bigint)));
const doubleReader = tagged(ioc.doubleSerializer, (v) => new GremlinDouble(v as number));

/** The writer a connection passes to the client: requests encoded with GremlinLong / GremlinDouble understood. */
export const gremlinWriter = {
  writeRequest(request: unknown): Buffer {
    const list = ioc.anySerializer.serializers;
    list.unshift(wrapped);
    try {
      return ioc.graphBinaryWriter.writeRequest(request);
    } finally {
      list.splice(list.indexOf(wrapped), 1);
    }
  },
};

/** The reader a connection passes to the client: Longs and Doubles come back tagged, Longs exact. */
export const gremlinReader = {
  readResponse(buffer: Buffer): unknown {
    const saved = [ioc.serializers[LONG], ioc.serializers[DOUBLE]] as const;
    ioc.serializers[LONG] = longReader;
    ioc.serializers[DOUBLE] = doubleReader;
    try {
      return ioc.graphBinaryReader.readResponse(buffer);
    } finally {
      [ioc.serializers[LONG], ioc.serializers[DOUBLE]] = saved;
    }
  },
};

export const GRAPHBINARY_MIME_TYPE = 'application/vnd.graphbinary-v1.0';
