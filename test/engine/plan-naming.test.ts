/** Pure naming rules (README, Mapping rules): no database needed. */
import assert from 'assert/strict';
import { singularize } from '../../dist/engine/plan/singular';
import { foreignKeyWords, labelName, propertyName, words } from '../../dist/engine/plan/naming';
import { matchesPattern, patternNames, patternSelects } from '../../dist/engine/plan/patterns';

describe('plan naming', () => {
  it('singularizes English plurals and leaves singular words alone', () => {
    const cases: Record<string, string> = {
      orders: 'order',
      details: 'detail',
      categories: 'category',
      currencies: 'currency',
      addresses: 'address',
      classes: 'class',
      cases: 'case',
      purchases: 'purchase',
      responses: 'response',
      boxes: 'box',
      taxes: 'tax',
      batches: 'batch',
      branches: 'branch',
      dishes: 'dish',
      wishes: 'wish',
      employees: 'employee',
      people: 'person',
      status: 'status',
      statuses: 'status',
      news: 'news',
      data: 'data',
      series: 'series',
      analysis: 'analysis',
      address: 'address',
      bus: 'bus',
      buses: 'bus',
      movies: 'movie',
      children: 'child',
      user: 'user',
      gps: 'gps',
    };
    for (const [plural, singular] of Object.entries(cases)) assert.equal(singularize(plural), singular, plural);
  });

  it('splits names into words at separators and case changes, keeping non-ASCII letters', () => {
    assert.deepEqual(words('billing_address_id'), ['billing', 'address', 'id']);
    assert.deepEqual(words('OrderID'), ['order', 'id']);
    assert.deepEqual(words('HTTPServer log'), ['http', 'server', 'log']);
    assert.deepEqual(words('Größe'), ['größe']);
    assert.deepEqual(words('say "hi"'), ['say', 'hi']);
    assert.deepEqual(words('line2Item'), ['line2', 'item']);
    assert.deepEqual(words('!!!'), []);
  });

  it('makes labels UpperCamelCase singular and properties lowerCamelCase (asIs keeps the name)', () => {
    assert.equal(labelName('order_details'), 'OrderDetail');
    assert.equal(labelName('Order Lines'), 'OrderLine');
    assert.equal(labelName('user'), 'User');
    assert.equal(labelName('news'), 'News');
    assert.equal(labelName('顧客'), '顧客');
    assert.equal(labelName('!!!'), '!!!', 'no letters at all: the raw name');
    assert.equal(labelName('order_details', { labels: 'asIs' }), 'order_details');
    assert.equal(propertyName('unit_price'), 'unitPrice');
    assert.equal(propertyName('Line ID'), 'lineId');
    assert.equal(propertyName('UserID'), 'userId');
    assert.equal(propertyName('select'), 'select');
    assert.equal(propertyName('Unit_Price', { properties: 'asIs' }), 'Unit_Price');
  });

  it('names FK relationships after the column, without its reference suffix', () => {
    assert.deepEqual(foreignKeyWords(['customer_id'], ['customer_id']), ['customer']);
    assert.deepEqual(foreignKeyWords(['manager_id'], ['employee_id']), ['manager']);
    assert.deepEqual(foreignKeyWords(['billing_address_id'], ['address_id']), ['billing', 'address']);
    assert.deepEqual(foreignKeyWords(['product_sku'], ['sku']), ['product'], 'the referenced column name comes off');
    assert.deepEqual(foreignKeyWords(['customerId'], ['customer_id']), ['customer']);
    assert.deepEqual(foreignKeyWords(['parent'], ['category_id']), ['parent']);
    assert.deepEqual(foreignKeyWords(['email'], ['email']), [], 'nothing left: the caller uses the referenced table');
    assert.deepEqual(foreignKeyWords(['id'], ['id']), []);
    assert.deepEqual(foreignKeyWords(['order_id', 'shipment_no'], ['order_id', 'shipment_no']), []);
    assert.deepEqual(foreignKeyWords(['parent_order_id', 'parent_line_no'], ['order_id', 'line_no']), ['parent'], 'a shared prefix');
    assert.deepEqual(foreignKeyWords(['a_order_id', 'b_line_no'], ['order_id', 'line_no']), []);
  });

  it('matches include/exclude globs against schema.table and the bare table name', () => {
    const orders = { schema: 'public', name: 'orders' };
    const lines = { schema: 'Sales', name: 'Order Lines' };
    assert.ok(matchesPattern(orders, 'orders'));
    assert.ok(matchesPattern(orders, 'public.*'));
    assert.ok(matchesPattern(orders, 'ord?rs'));
    assert.ok(!matchesPattern(orders, 'Orders'), 'case-sensitive');
    assert.ok(matchesPattern(lines, 'Sales.Order *'));
    assert.ok(!matchesPattern(lines, 'sales.*'));
    assert.ok(matchesPattern({ schema: 'a', name: 'x+y(1)' }, 'x+y(1)'), 'regex characters are literal');
    assert.ok(patternSelects(orders, undefined, undefined));
    assert.ok(!patternSelects(orders, ['customers'], undefined));
    assert.ok(!patternSelects(orders, ['*'], ['ord*']), 'exclude wins');
    assert.ok(patternNames(orders, ['public.orders'], undefined));
    assert.ok(!patternNames(orders, ['public.*'], undefined), 'a wildcard does not name a view');
  });
});
