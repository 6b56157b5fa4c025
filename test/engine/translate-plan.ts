/** A small hand-written graph plan of the bookshop's shape for the translator's pure logic tests (no database). */
import type { GraphPlan, NodeEntry, PropertyMapping, RelationshipEntry } from '../../dist/engine/plan/types';
import type { ValueRule } from '../../dist/engine/values/rule-types';

const prop = (column: string, name: string, pgType: string, as: ValueRule): PropertyMapping => ({ column, name, pgType, as });
const table = (name: string) => ({ schema: 'bookshop', name });

const node = (name: string, label: string, key: string[], properties: PropertyMapping[], extra: Partial<NodeEntry> = {}): NodeEntry => ({
  id: `bookshop.${name}`,
  table: table(name),
  label,
  key,
  keySource: 'primaryKey',
  properties,
  warnings: [],
  ...extra,
});

const fk = (
  tableName: string,
  constraint: string,
  type: string,
  from: Record<string, string>,
  toNode: string,
  to: Record<string, string>,
): RelationshipEntry => ({
  id: `bookshop.${tableName}.${constraint}`,
  type,
  source: { kind: 'foreignKey', table: table(tableName), constraint },
  from: { node: `bookshop.${tableName}`, match: from },
  to: { node: `bookshop.${toNode}`, match: to },
  properties: [],
});

export function bookshopPlan(): GraphPlan {
  return {
    version: 1,
    source: { schemas: ['bookshop'] },
    options: { batchSize: 1000, writeMode: 'merge' },
    nodes: [
      node(
        'customer',
        'Customer',
        ['customerId'],
        [
          prop('customer_id', 'customerId', 'int4', 'integer'),
          prop('email', 'email', 'text', 'string'),
          prop('full_name', 'fullName', 'text', 'string'),
          prop('tier', 'tier', 'customer_tier', 'string'),
          prop('referred_by', 'referredBy', 'int4', 'integer'),
          prop('signed_up_at', 'signedUpAt', 'timestamptz', 'dateTime'),
        ],
      ),
      node(
        'orders',
        'Order',
        ['orderId'],
        [
          prop('order_id', 'orderId', 'int8', 'integer'),
          prop('customer_id', 'customerId', 'int4', 'integer'),
          prop('total', 'total', 'numeric(12,2)', 'string'),
          prop('note', 'note', 'text', 'string'),
          prop('country', 'country', 'bpchar(2)', 'string'),
          prop('discount', 'discount', 'float4', 'float'),
        ],
      ),
      node(
        'book',
        'Book',
        ['isbn'],
        [prop('isbn', 'isbn', 'text', 'string'), prop('title', 'title', 'text', 'string'), prop('page_count', 'pageCount', 'int2', 'integer')],
        {
          leftOut: [{ column: 'shelf', pgType: 'int4range', reason: 'no value rule for type int4range' }],
        },
      ),
      node('author', 'Author', ['authorId'], [prop('author_id', 'authorId', 'int4', 'integer'), prop('name', 'name', 'text', 'string')]),
    ],
    relationships: [
      fk('customer', 'customer_referred_by_fkey', 'REFERRED_BY', { customerId: 'customer_id' }, 'customer', { customerId: 'referred_by' }),
      fk('orders', 'orders_customer_id_fkey', 'CUSTOMER', { orderId: 'order_id' }, 'customer', { customerId: 'customer_id' }),
      {
        id: 'bookshop.book_author',
        type: 'BOOK_AUTHOR',
        source: { kind: 'joinTable', table: table('book_author') },
        from: { node: 'bookshop.book', match: { isbn: 'isbn' } },
        to: { node: 'bookshop.author', match: { authorId: 'author_id' } },
        properties: [prop('role', 'role', 'text', 'string')],
      },
    ],
  };
}
