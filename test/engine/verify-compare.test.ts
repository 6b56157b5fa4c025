import assert from 'assert/strict';
import neo4j from 'neo4j-driver';
import { sameGraphValue } from '../../dist/engine/verify/compare';
import { describeGraphValue } from '../../dist/engine/values/graph-text';
import { kindOf } from '../../dist/engine/values/graph-kind';

describe('graph value equality for verification', () => {
  it('tells integers, floats and decimal strings apart', () => {
    assert.equal(sameGraphValue(neo4j.int('9007199254740993'), neo4j.int('9007199254740993')), true);
    assert.equal(sameGraphValue(neo4j.int('9007199254740993'), neo4j.int('9007199254740992')), false);
    assert.equal(sameGraphValue(neo4j.int(12), 12), false, 'an Integer is not a Float');
    assert.equal(sameGraphValue('12.30', 12.3), false, 'an exact decimal string is not a Float');
    assert.equal(sameGraphValue('12.30', '12.3'), false, 'scale is part of the exact decimal');
    assert.equal(describeGraphValue(12.3), 'Float 12.3');
    assert.equal(describeGraphValue('12.30'), 'String "12.30"');
  });

  it('keeps NaN, infinities and negative zero exact', () => {
    assert.equal(sameGraphValue(NaN, NaN), true);
    assert.equal(sameGraphValue(-0, 0), false);
    assert.equal(sameGraphValue(-0, -0), true);
    assert.equal(sameGraphValue(Infinity, -Infinity), false);
    assert.equal(describeGraphValue(-0), 'Float -0.0');
  });

  it('compares temporals field by field, nanoseconds and offsets included', () => {
    const a = new neo4j.types.DateTime(2024, 2, 29, 23, 59, 59, 999999000, 0);
    const same = new neo4j.types.DateTime(2024, 2, 29, 23, 59, 59, 999999000, 0);
    const otherNanos = new neo4j.types.DateTime(2024, 2, 29, 23, 59, 59, 999998000, 0);
    const local = new neo4j.types.LocalDateTime(2024, 2, 29, 23, 59, 59, 999999000);
    assert.equal(sameGraphValue(a, same), true);
    assert.equal(sameGraphValue(a, otherNanos), false);
    assert.equal(sameGraphValue(a, local), false, 'a DateTime is not a LocalDateTime');
    assert.equal(sameGraphValue(new neo4j.types.Date(-43, 3, 15), new neo4j.types.Date(-43, 3, 15)), true);
    assert.equal(sameGraphValue(new neo4j.types.Duration(14, -3, 5, 500), new neo4j.types.Duration(14, -3, 5, 500)), true);
    assert.equal(sameGraphValue(new neo4j.types.Duration(14, -3, 5, 500), new neo4j.types.Duration(14, -3, 5, 0)), false);
  });

  it('compares lists element by element and bytes byte by byte', () => {
    assert.equal(sameGraphValue([neo4j.int(1), neo4j.int(2)], [neo4j.int(1), neo4j.int(2)]), true);
    assert.equal(sameGraphValue([neo4j.int(1), neo4j.int(2)], [neo4j.int(1)]), false);
    assert.equal(sameGraphValue(Int8Array.from([-1, 0, 1]), Uint8Array.from([255, 0, 1])), true);
    assert.equal(sameGraphValue(Int8Array.from([-1, 0, 1]), Int8Array.from([-1, 0, 2])), false);
    assert.equal(kindOf(Buffer.from('ab')), 'Bytes');
  });

  it('treats an expected null as an absent property', () => {
    assert.equal(sameGraphValue(null, undefined), true);
    assert.equal(sameGraphValue(null, ''), false);
    assert.equal(sameGraphValue('', undefined), false);
  });
});
