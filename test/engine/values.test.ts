/** Value rules on their own: Postgres text -> graph values, policies and the errors of each rule (pure logic). */
import assert from 'assert/strict';
import neo4j, { type Integer, type Date as GraphDate, type LocalDateTime, type DateTime, type Time, type Duration, type Point } from 'neo4j-driver';
import { compileValue, type ValueSpec } from '../../dist/engine/values/convert';
import { parseArrayLiteral } from '../../dist/engine/values/parse/array-literal';
import { flattenJson } from '../../dist/engine/values/parse/json-flatten';
import { ValueError } from '../../dist/engine/values/value-error';
import { describeKey, describeValue, keyTexts } from '../../dist/engine/values/graph-text';
import { Pg2GraphError } from '../../dist/engine/core/errors';
import { integerText } from '../../dist/engine/values/graph-kind';

const site = { entry: 'public.t', table: 'public.t', column: 'c' };
const convert = (spec: ValueSpec, text: string) => compileValue(spec, site)(text);

function throwsValue(fn: () => unknown, kind: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ValueError, `expected a ValueError, got ${String(error)}`);
    assert.match(error.kind, kind);
    return true;
  });
}

describe('values: Postgres text -> graph values', () => {
  describe('integers', () => {
    for (const text of ['0', '-1', '32767', '2147483647', '9007199254740993', '9223372036854775807', '-9223372036854775808']) {
      it(`int8 ${text} becomes the exact Integer`, () => {
        const value = convert({ pgType: 'int8', as: 'integer' }, text) as Integer;
        assert.ok(neo4j.isInt(value));
        assert.equal(value.toString(), text);
      });
    }
    it('rejects a numeric beyond 64 bits as Integer, naming the value', () => {
      throwsValue(() => convert({ pgType: 'numeric', as: 'integer' }, '9223372036854775808'), /64-bit/);
    });
    it('numeric by the integer policy: whole numbers pass, a fraction is an error with the value', () => {
      assert.equal((convert({ pgType: 'numeric(12,2)', as: 'integer' }, '1234.00') as Integer).toString(), '1234');
      assert.throws(
        () => convert({ pgType: 'numeric(12,2)', as: 'integer' }, '12.50'),
        (e: unknown) => e instanceof ValueError && /fraction/.test(e.message) && e.message.includes('"12.50"'),
      );
      throwsValue(() => convert({ pgType: 'numeric', as: 'integer' }, 'NaN'), /NaN or Infinity/);
    });
    it('numeric stays exact text by default; float by policy', () => {
      const digits38 = '12345678901234567890123456789012345678';
      assert.equal(convert({ pgType: 'numeric', as: 'string' }, digits38), digits38);
      assert.equal(convert({ pgType: 'numeric', as: 'string' }, 'Infinity'), 'Infinity');
      assert.equal(convert({ pgType: 'numeric', as: 'float' }, '0.1'), 0.1);
    });
  });

  describe('floats', () => {
    it('keeps NaN, ±Infinity and -0', () => {
      assert.ok(Number.isNaN(convert({ pgType: 'float8', as: 'float' }, 'NaN') as number));
      assert.equal(convert({ pgType: 'float8', as: 'float' }, 'Infinity'), Infinity);
      assert.equal(convert({ pgType: 'float4', as: 'float' }, '-Infinity'), -Infinity);
      assert.ok(Object.is(convert({ pgType: 'float8', as: 'float' }, '-0'), -0));
      assert.equal(convert({ pgType: 'float8', as: 'float' }, '1e-07'), 1e-7);
    });
    it('rejects malformed number text', () => throwsValue(() => convert({ pgType: 'float8', as: 'float' }, 'abc'), /malformed/));
  });

  describe('text and strings', () => {
    it('keeps char(n) padding unless trim is set', () => {
      assert.equal(convert({ pgType: 'bpchar(6)', as: 'string' }, 'ab    '), 'ab    ');
      assert.equal(convert({ pgType: 'bpchar(6)', as: 'string', trim: true }, 'ab    '), 'ab');
    });
    it('turns hstore into JSON text, keys in printed order, NULL as null', () => {
      assert.equal(convert({ pgType: 'hstore', as: 'string' }, '"b"=>"2", "a \\"q\\""=>NULL, "c"=>"x\\\\y"'), '{"b":"2","a \\"q\\"":null,"c":"x\\\\y"}');
    });
    it('booleans', () => {
      assert.equal(convert({ pgType: 'bool', as: 'boolean' }, 't'), true);
      assert.equal(convert({ pgType: 'bool', as: 'boolean' }, 'f'), false);
    });
  });

  describe('temporal values', () => {
    it('date: BC years count astronomically (44 BC is year -43)', () => {
      const d = convert({ pgType: 'date', as: 'date' }, '0044-03-15 BC') as GraphDate;
      assert.deepEqual([Number(d.year), Number(d.month), Number(d.day)], [-43, 3, 15]);
    });
    it('date infinity: kept as text by default, absent or an error by policy', () => {
      assert.equal(convert({ pgType: 'date', as: 'date' }, 'infinity'), 'infinity');
      assert.equal(convert({ pgType: 'date', as: 'date', infinity: 'null' }, '-infinity'), null);
      throwsValue(() => convert({ pgType: 'date', as: 'date', infinity: 'error' }, 'infinity'), /infinite date/);
    });
    it('timestamp keeps microseconds', () => {
      const t = convert({ pgType: 'timestamp', as: 'localDateTime' }, '2024-02-29 23:59:59.999999') as LocalDateTime;
      assert.equal(Number(t.nanosecond), 999_999_000);
      assert.equal(Number(t.second), 59);
    });
    it('timestamptz becomes a DateTime at offset 0', () => {
      const t = convert({ pgType: 'timestamptz', as: 'dateTime' }, '2024-06-01 06:30:00.000001+00') as DateTime;
      assert.equal(Number(t.timeZoneOffsetSeconds), 0);
      assert.equal(Number(t.nanosecond), 1000);
      assert.equal(Number(t.hour), 6);
    });
    it('timetz keeps its offset (+14, -03:30)', () => {
      assert.equal(Number((convert({ pgType: 'timetz', as: 'time' }, '23:59:59.999999+14') as Time).timeZoneOffsetSeconds), 14 * 3600);
      assert.equal(Number((convert({ pgType: 'timetz', as: 'time' }, '10:00:00-03:30') as Time).timeZoneOffsetSeconds), -(3 * 3600 + 1800));
    });
    it('time 24:00:00 is an error that says why (Neo4j times stop at 23:59:59.999999999)', () => {
      throwsValue(() => convert({ pgType: 'time', as: 'localTime' }, '24:00:00'), /24:00:00/);
      assert.equal(convert({ pgType: 'time', as: 'string' }, '24:00:00'), '24:00:00');
    });
  });

  describe('intervals (IntervalStyle iso_8601)', () => {
    const duration = (text: string) => {
      const d = convert({ pgType: 'interval', as: 'duration' }, text) as Duration;
      return [Number(d.months), Number(d.days), Number(d.seconds), Number(d.nanoseconds)];
    };
    it('keeps months, days and time apart', () => assert.deepEqual(duration('P1Y2M3DT4H5M6.789S'), [14, 3, 14706, 789_000_000]));
    it('negative parts, each with its own sign', () => {
      // -4h -5m -6.789s = -14706.789 s = -14707 s + 0.211 s
      assert.deepEqual(duration('P-1Y-2M3DT-4H-5M-6.789S'), [-14, 3, -14707, 211_000_000]);
      assert.deepEqual(duration('PT-0.000001S'), [0, 0, -1, 999_999_000]);
    });
    it('zero', () => assert.deepEqual(duration('PT0S'), [0, 0, 0, 0]));
    it('rejects another IntervalStyle', () => throwsValue(() => duration('1 year 2 mons'), /iso_8601/));
  });

  describe('array literals', () => {
    it('parses quotes, backslashes, NULL, "NULL" and empty strings', () => {
      const parsed = parseArrayLiteral('{plain,"with space","q\\"uote","back\\\\slash",NULL,"NULL",""}');
      assert.deepEqual(parsed.items, ['plain', 'with space', 'q"uote', 'back\\slash', null, 'NULL', '']);
      assert.equal(parsed.hasNull, true);
      assert.equal(parsed.depth, 1);
    });
    it('empty arrays, nested braces and dimension decorations', () => {
      assert.deepEqual(parseArrayLiteral('{}').items, []);
      const nested = parseArrayLiteral('{{1,2},{3,4}}');
      assert.deepEqual(nested.items, [
        ['1', '2'],
        ['3', '4'],
      ]);
      assert.equal(nested.depth, 2);
      assert.deepEqual(parseArrayLiteral('[0:1]={7,8}').items, ['7', '8']);
      assert.deepEqual(parseArrayLiteral('{"{\\"a\\": 1}"}').items, ['{"a": 1}']);
    });
    it('malformed literals are errors with the position', () => {
      throwsValue(() => parseArrayLiteral('{1,2'), /malformed array literal/);
      throwsValue(() => parseArrayLiteral('{"open}'), /unterminated/);
    });
    it('list rules convert each element; NULL elements and 2-D arrays follow their policies', () => {
      const ints = convert({ pgType: 'int8[]', as: 'list<integer>' }, '{1,9223372036854775807}') as Integer[];
      assert.deepEqual(ints.map(String), ['1', '9223372036854775807']);
      throwsValue(() => convert({ pgType: 'int4[]', as: 'list<integer>' }, '{1,NULL}'), /NULL elements/);
      assert.deepEqual((convert({ pgType: 'int4[]', as: 'list<integer>', nullElements: 'drop' }, '{1,NULL,3}') as Integer[]).map(Number), [1, 3]);
      assert.equal(convert({ pgType: 'int4[]', as: 'list<integer>', nullElements: 'json' }, '{1,NULL,3}'), '[1,null,3]');
      throwsValue(() => convert({ pgType: 'int4[]', as: 'list<integer>' }, '{{1,2},{3,4}}'), /multi-dimensional/);
      assert.equal(convert({ pgType: 'int4[]', as: 'list<integer>', multiDimensional: 'json' }, '{{1,2},{3,4}}'), '[[1,2],[3,4]]');
      assert.equal(convert({ pgType: 'int4[]', as: 'list<integer>', multiDimensional: 'drop' }, '{{1,2},{3,4}}'), null);
      assert.equal(convert({ pgType: 'text[]', as: 'list<string>', nullElements: 'json' }, '{a,NULL}'), '["a",null]');
      assert.equal(convert({ pgType: 'text[]', as: 'string' }, '{a,NULL}'), '{a,NULL}');
    });
    it('a date list with infinity cannot mix types: an error unless the policy drops it', () => {
      throwsValue(() => convert({ pgType: 'date[]', as: 'list<date>' }, '{2020-01-01,infinity}'), /infinite value inside a list/);
      assert.equal((convert({ pgType: 'date[]', as: 'list<date>', infinity: 'null' }, '{2020-01-01,infinity}') as unknown[]).length, 1);
    });
  });

  describe('bytes, points, json', () => {
    it('bytea hex becomes an Int8Array (what the driver sends as byte[])', () => {
      const bytes = convert({ pgType: 'bytea', as: 'bytes' }, '\\x00ff7f80') as Int8Array;
      assert.ok(bytes instanceof Int8Array);
      assert.deepEqual([...bytes], [0, -1, 127, -128]);
      assert.equal((convert({ pgType: 'bytea', as: 'bytes' }, '\\x') as Int8Array).length, 0);
      throwsValue(() => convert({ pgType: 'bytea', as: 'bytes' }, 'abc'), /bytea_output hex/);
    });
    it('point becomes a cartesian Point', () => {
      const p = convert({ pgType: 'point', as: 'point' }, '(1.5,-2)') as Point;
      assert.deepEqual([Number(p.srid), p.x, p.y], [7203, 1.5, -2]);
    });
    it('flatten: one member per top-level key, nested values as their exact JSON text, numbers from their digits', () => {
      const flat = flattenJson(
        '{"a": 1, "b": {"c": [1, 2]}, "big": 12345678901234567890123, "n": null, "s": "x\\"y", "t": true, "f": 1.5, "i8": 9007199254740993}',
      );
      const members = Object.fromEntries(flat.members);
      assert.equal(String(members.a), '1');
      assert.equal(members.b, '{"c": [1, 2]}');
      assert.equal(members.s, 'x"y');
      assert.equal(members.t, true);
      assert.equal(members.f, 1.5);
      assert.equal(String(members.i8), '9007199254740993');
      assert.equal(typeof members.big, 'number');
      assert.ok(!('n' in members), 'JSON null leaves the property absent');
      assert.equal(flattenJson('[1,2]').self, '[1,2]');
    });
  });

  describe('rules', () => {
    it('a type without a rule (and no "as") is an error naming entry, table, column and type', () => {
      assert.throws(
        () => compileValue({ pgType: 'int4range' } as ValueSpec, site),
        (e: unknown) =>
          e instanceof Pg2GraphError && e.code === 'VALUE_NO_RULE' && /public\.t/.test(e.message) && /"c"/.test(e.message) && /int4range/.test(e.message),
      );
    });
    it('an unknown rule is an error', () => {
      assert.throws(
        () => compileValue({ pgType: 'int4', as: 'bigint' as never }, site),
        (e: unknown) => e instanceof Pg2GraphError && e.code === 'VALUE_RULE_UNKNOWN',
      );
    });
    it('without "as", the type default applies', () => {
      assert.ok(neo4j.isInt(compileValue({ pgType: 'int2' } as ValueSpec, site)('5')));
    });
  });
});

describe('values: integerText', () => {
  it('prints every Integer exactly: within ±2^53 (the fast way) and beyond it to the int64 limits, and bigints', () => {
    for (const text of [
      '0',
      '-1',
      '42',
      '9007199254740991',
      '-9007199254740991',
      '9007199254740992',
      '-9007199254740993',
      '9223372036854775807',
      '-9223372036854775808',
    ]) {
      assert.equal(integerText(neo4j.int(text)), text);
      assert.equal(integerText(BigInt(text)), text);
    }
  });
});

describe('values: graph values in messages', () => {
  it('describes a value briefly: texts quoted and cut, lists and bytes summed up, plain objects unnamed', () => {
    assert.equal(describeValue(null), 'null');
    assert.equal(describeValue(undefined), 'null');
    assert.equal(describeValue('DE'), '"DE"');
    assert.equal(describeValue('x'.repeat(70)), `"${'x'.repeat(60)}... (70 characters)"`);
    assert.equal(describeValue(neo4j.int('9007199254740993')), '9007199254740993');
    assert.equal(describeValue(12n), '12');
    assert.equal(describeValue(2.5), '2.5');
    assert.equal(describeValue(true), 'true');
    assert.equal(describeValue(new Int8Array([1, 2, 3])), '<3 bytes>');
    assert.equal(describeValue([1, 2, 3, 4, 5, 6]), '[1, 2, 3, 4, 5, …]');
    assert.equal(describeValue(new neo4j.types.Date(2024, 1, 2)), '2024-01-02');
    assert.equal(describeValue({ a: 1 }), 'a map');
  });

  it('keys: described in brackets, or as plain texts (strings as they are)', () => {
    assert.equal(describeKey(['DE', neo4j.int(7)]), '["DE", 7]');
    assert.deepEqual(keyTexts(['DE', neo4j.int(7), null]), ['DE', '7', 'null']);
  });
});
