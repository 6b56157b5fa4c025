/**
 * Statement text for the three dialects. Memgraph and Neptune cannot run here, so their statements are checked
 * as exact text; the Neo4j statements are also run against the real server in write-neo4j.test.ts.
 */
import assert from 'assert/strict';
import { missingEndsStatement, nodeWriteStatement, relationshipWriteStatement, type RelationshipShape } from '../../dist/engine/write';
import { MEMGRAPH_DIALECT, NEO4J_DIALECT, NEPTUNE_DIALECT, dialectFor, labelText, neptuneNodeId, quoteName, schemaObjectName } from '../../dist/engine/cypher';
import { checkpointStatements } from '../../dist/engine/run';

const lines = (...text: string[]) => text.join('\n');

const order = { labels: ['Order', 'Sales'], key: ['orderId'], columns: ['orderId', 'note', 'total'] };
const orderLine = { labels: ['Order`Line'], key: ['orderId', 'line no'], columns: ['orderId', 'line no', 'qty'] };
const customerByEmail: RelationshipShape = {
  type: 'CUSTOMER',
  from: { labels: ['Order'], match: ['orderId'], key: ['orderId'] },
  to: { labels: ['Customer'], match: ['email'], key: ['customerId'] },
  columns: ['orderId', 'email', 'since'],
};

describe('write statements', () => {
  describe('names', () => {
    it('backtick-quotes every name and doubles a backtick inside', () => {
      assert.equal(quoteName('Order'), '`Order`');
      assert.equal(quoteName('we`ird\'"name'), '`we``ird\'"name`');
      assert.equal(quoteName('a``b'), '`a````b`');
      assert.equal(labelText(['A', 'B c']), ':`A`:`B c`');
    });

    it('names schema objects predictably, with a hash only when characters had to be replaced', () => {
      assert.equal(schemaObjectName(['Order'], 'key'), 'pg2graph_Order_key');
      assert.equal(schemaObjectName(['Customer', 'email'], 'match'), 'pg2graph_Customer_email_match');
      const a = schemaObjectName(['Order Line'], 'key');
      const b = schemaObjectName(['Order-Line'], 'key');
      assert.match(a, /^pg2graph_Order_Line_[0-9a-f]{8}_key$/);
      assert.notEqual(a, b, 'two labels that sanitize alike still get different names');
    });

    it('picks the dialect from the connection setting and refuses an unknown one', () => {
      assert.equal(dialectFor(undefined).name, 'neo4j');
      assert.equal(dialectFor('memgraph').name, 'memgraph');
      assert.equal(dialectFor('neptune').name, 'neptune');
      assert.throws(() => dialectFor('arangodb'), { code: 'NEO4J_SETTING_INVALID' });
    });
  });

  describe('neo4j', () => {
    it('MERGEs nodes on the key and SETs the other properties and extra labels', () => {
      const statement = nodeWriteStatement(NEO4J_DIALECT, order, 'merge');
      assert.equal(statement.text, lines('UNWIND $rows AS r', 'MERGE (n:`Order` {`orderId`: r[0]})', 'SET n.`note` = r[1], n.`total` = r[2], n:`Sales`'));
      const rows = [[1, 'a', 2.5]];
      assert.equal(statement.encode(rows), rows, 'rows go out as they are, without a copy');
    });

    it('MERGEs a composite key with names that need quoting', () => {
      assert.equal(
        nodeWriteStatement(NEO4J_DIALECT, orderLine, 'merge').text,
        lines('UNWIND $rows AS r', 'MERGE (n:`Order``Line` {`orderId`: r[0], `line no`: r[1]})', 'SET n.`qty` = r[2]'),
      );
    });

    it('MERGEs a node that has only key properties without an empty SET', () => {
      assert.equal(
        nodeWriteStatement(NEO4J_DIALECT, { labels: ['Tag'], key: ['name'], columns: ['name'] }, 'merge').text,
        lines('UNWIND $rows AS r', 'MERGE (n:`Tag` {`name`: r[0]})'),
      );
    });

    it('CREATEs nodes with all labels and properties in one map', () => {
      assert.equal(
        nodeWriteStatement(NEO4J_DIALECT, order, 'create').text,
        lines('UNWIND $rows AS r', 'CREATE (n:`Order`:`Sales` {`orderId`: r[0], `note`: r[1], `total`: r[2]})'),
      );
    });

    it('writes relationships: MATCH both ends, MERGE or CREATE, and counts the rows written', () => {
      assert.equal(
        relationshipWriteStatement(NEO4J_DIALECT, customerByEmail, 'merge').text,
        lines(
          'UNWIND range(0, size($rows) - 1) AS i',
          'WITH i, $rows[i] AS r',
          'MATCH (a:`Order` {`orderId`: r[0]})',
          'MATCH (b:`Customer` {`email`: r[1]})',
          'MERGE (a)-[e:`CUSTOMER`]->(b)',
          'SET e.`since` = r[2]',
          'RETURN count(DISTINCT i) AS written',
        ),
      );
      assert.equal(
        relationshipWriteStatement(NEO4J_DIALECT, customerByEmail, 'create').text,
        lines(
          'UNWIND range(0, size($rows) - 1) AS i',
          'WITH i, $rows[i] AS r',
          'MATCH (a:`Order` {`orderId`: r[0]})',
          'MATCH (b:`Customer` {`email`: r[1]})',
          'CREATE (a)-[e:`CUSTOMER` {`since`: r[2]}]->(b)',
          'RETURN count(DISTINCT i) AS written',
        ),
      );
    });

    it('looks up the rows with a missing end', () => {
      assert.equal(
        missingEndsStatement(NEO4J_DIALECT, customerByEmail).text,
        lines(
          'UNWIND range(0, size($rows) - 1) AS i',
          'WITH i, $rows[i] AS r',
          'OPTIONAL MATCH (a:`Order` {`orderId`: r[0]})',
          'WITH i, r, count(a) AS starts',
          'OPTIONAL MATCH (b:`Customer` {`email`: r[1]})',
          'WITH i, starts, count(b) AS ends',
          'WHERE starts = 0 OR ends = 0',
          'RETURN i AS row, starts > 0 AS hasStart, ends > 0 AS hasEnd',
        ),
      );
    });

    it('makes keys unique with named constraints and non-key matches fast with named indexes', () => {
      assert.deepEqual(NEO4J_DIALECT.keySchema({ label: 'Order', key: ['orderId'] }), [
        'CREATE CONSTRAINT `pg2graph_Order_key` IF NOT EXISTS FOR (n:`Order`) REQUIRE n.`orderId` IS UNIQUE',
      ]);
      assert.deepEqual(NEO4J_DIALECT.keySchema({ label: 'Order`Line', key: ['orderId', 'line no'] }), [
        `CREATE CONSTRAINT \`${schemaObjectName(['Order`Line'], 'key')}\` IF NOT EXISTS FOR (n:\`Order\`\`Line\`) REQUIRE (n.\`orderId\`, n.\`line no\`) IS UNIQUE`,
      ]);
      assert.deepEqual(NEO4J_DIALECT.matchSchema({ label: 'Customer', properties: ['email'] }), [
        'CREATE INDEX `pg2graph_Customer_email_match` IF NOT EXISTS FOR (n:`Customer`) ON (n.`email`)',
      ]);
    });

    it('keeps checkpoints on their own label, locked before they are read', () => {
      const statements = checkpointStatements(NEO4J_DIALECT.keyedById);
      assert.equal(
        statements.lock,
        lines(
          'MERGE (c:`Pg2GraphCheckpoint` {`plan`: $plan, `entry`: $entry})',
          "ON CREATE SET c.`batches` = 0, c.`pending` = '[]', c.`complete` = false",
          'SET c.`updated` = $updated',
          'RETURN c.`owner` AS owner, c.`batches` AS batches, c.`lastKey` AS lastKey, c.`pending` AS pending, c.`lastIndex` AS lastIndex, c.`complete` AS complete, c.`source` AS source',
        ),
      );
      assert.equal(statements.clear, 'MATCH (c:`Pg2GraphCheckpoint`) WHERE c.`plan` = $plan DELETE c');
      assert.equal(statements.clearEntries, 'MATCH (c:`Pg2GraphCheckpoint`) WHERE c.`plan` = $plan AND c.`entry` IN $entries DELETE c');
    });
  });

  describe('memgraph (text only: no Memgraph server here)', () => {
    it('creates an index per key property and a uniqueness constraint, in its own syntax', () => {
      assert.deepEqual(MEMGRAPH_DIALECT.keySchema({ label: 'Order', key: ['orderId'] }), [
        'CREATE INDEX ON :`Order`(`orderId`)',
        'CREATE CONSTRAINT ON (n:`Order`) ASSERT n.`orderId` IS UNIQUE',
      ]);
      assert.deepEqual(MEMGRAPH_DIALECT.keySchema({ label: 'Order`Line', key: ['orderId', 'line no'] }), [
        'CREATE INDEX ON :`Order``Line`(`orderId`)',
        'CREATE INDEX ON :`Order``Line`(`line no`)',
        'CREATE CONSTRAINT ON (n:`Order``Line`) ASSERT n.`orderId`, n.`line no` IS UNIQUE',
      ]);
      assert.deepEqual(MEMGRAPH_DIALECT.matchSchema({ label: 'Customer', properties: ['email'] }), ['CREATE INDEX ON :`Customer`(`email`)']);
    });

    it('writes nodes and relationships with the same UNWIND MERGE statements as Neo4j', () => {
      for (const mode of ['merge', 'create'] as const) {
        assert.equal(nodeWriteStatement(MEMGRAPH_DIALECT, order, mode).text, nodeWriteStatement(NEO4J_DIALECT, order, mode).text);
        assert.equal(
          relationshipWriteStatement(MEMGRAPH_DIALECT, customerByEmail, mode).text,
          relationshipWriteStatement(NEO4J_DIALECT, customerByEmail, mode).text,
        );
      }
      assert.equal(
        nodeWriteStatement(MEMGRAPH_DIALECT, orderLine, 'merge').text,
        lines('UNWIND $rows AS r', 'MERGE (n:`Order``Line` {`orderId`: r[0], `line no`: r[1]})', 'SET n.`qty` = r[2]'),
      );
    });

    it('treats "already exists" as done and conflicts as worth a retry', () => {
      assert.equal(MEMGRAPH_DIALECT.isAlreadyExists(new Error('Index already exists.')), true);
      assert.equal(
        MEMGRAPH_DIALECT.isTransient(
          Object.assign(new Error('Cannot resolve conflicting transactions.'), { code: 'Memgraph.TransientError.MemgraphError.MemgraphError' }),
        ),
        true,
      );
      assert.equal(MEMGRAPH_DIALECT.isTransient(Object.assign(new Error('syntax'), { code: 'Memgraph.ClientError.MemgraphError.MemgraphError' })), false);
    });
  });

  describe('neptune (text only: no Neptune server here)', () => {
    it('has no constraint or index statements', () => {
      assert.deepEqual(NEPTUNE_DIALECT.keySchema({ label: 'Order', key: ['orderId'] }), []);
      assert.deepEqual(NEPTUNE_DIALECT.matchSchema({ label: 'Customer', properties: ['email'] }), []);
    });

    it('MERGEs nodes on a label-namespaced ~id and keeps the key as properties', () => {
      const statement = nodeWriteStatement(NEPTUNE_DIALECT, order, 'merge');
      assert.equal(
        statement.text,
        lines('UNWIND $rows AS r', 'MERGE (n:`Order` {`~id`: r[0]})', 'SET n.`orderId` = r[1], n.`note` = r[2], n.`total` = r[3], n:`Sales`'),
      );
      assert.deepEqual(
        statement.encode([
          [42, 'a', 1.5],
          [43, null, 2],
        ]),
        [
          ['Order:42', 42, 'a', 1.5],
          ['Order:43', 43, null, 2],
        ],
      );
      assert.equal(
        nodeWriteStatement(NEPTUNE_DIALECT, order, 'create').text,
        lines('UNWIND $rows AS r', 'CREATE (n:`Order`:`Sales` {`~id`: r[0], `orderId`: r[1], `note`: r[2], `total`: r[3]})'),
      );
    });

    it('builds composite ids part by part and escapes ":" and "\\" so ids never collide', () => {
      const statement = nodeWriteStatement(NEPTUNE_DIALECT, orderLine, 'merge');
      assert.deepEqual(statement.encode([[7, 2, 5]]), [['Order`Line:7:2', 7, 2, 5]]);
      assert.equal(neptuneNodeId('Order', ['a:b', 'c']), 'Order:a\\:b:c');
      assert.equal(neptuneNodeId('Order', ['a', 'b:c']), 'Order:a:b\\:c');
      assert.notEqual(neptuneNodeId('Order', ['a:b', 'c']), neptuneNodeId('Order', ['a', 'b:c']));
      assert.equal(neptuneNodeId('A:B', ['x\\']), 'A\\:B:x\\\\');
    });

    it('matches relationship ends by ~id when the match is the key, by property otherwise', () => {
      const statement = relationshipWriteStatement(NEPTUNE_DIALECT, customerByEmail, 'merge');
      assert.equal(
        statement.text,
        lines(
          'UNWIND range(0, size($rows) - 1) AS i',
          'WITH i, $rows[i] AS r',
          'MATCH (a:`Order` {`~id`: r[0]})',
          'MATCH (b:`Customer` {`email`: r[2]})',
          'MERGE (a)-[e:`CUSTOMER`]->(b)',
          'SET e.`since` = r[3]',
          'RETURN count(DISTINCT i) AS written',
        ),
      );
      assert.deepEqual(statement.encode([[1, 'a@x', 's']]), [['Order:1', 1, 'a@x', 's']]);
      const both = relationshipWriteStatement(
        NEPTUNE_DIALECT,
        {
          type: 'ORDER_DETAIL',
          from: { labels: ['Order'], match: ['orderId'], key: ['orderId'] },
          to: { labels: ['Product'], match: ['productId'], key: ['productId'] },
          columns: ['orderId', 'productId', 'quantity'],
        },
        'create',
      );
      assert.equal(
        both.text,
        lines(
          'UNWIND range(0, size($rows) - 1) AS i',
          'WITH i, $rows[i] AS r',
          'MATCH (a:`Order` {`~id`: r[0]})',
          'MATCH (b:`Product` {`~id`: r[1]})',
          'CREATE (a)-[e:`ORDER_DETAIL` {`quantity`: r[4]}]->(b)',
          'RETURN count(DISTINCT i) AS written',
        ),
      );
      assert.deepEqual(both.encode([[1, 2, 3]]), [['Order:1', 'Product:2', 1, 2, 3]]);
    });

    it('orders composite end values into key order for the id', () => {
      const statement = relationshipWriteStatement(
        NEPTUNE_DIALECT,
        {
          type: 'LINE_OF',
          from: { labels: ['Shipment'], match: ['shipmentId'], key: ['shipmentId'] },
          to: { labels: ['OrderLine'], match: ['lineNo', 'orderId'], key: ['orderId', 'lineNo'] },
          columns: ['shipmentId', 'lineNo', 'orderId'],
        },
        'merge',
      );
      assert.deepEqual(statement.encode([['s1', 3, 42]]), [['Shipment:s1', 'OrderLine:42:3', 's1', 3, 42]]);
    });

    it('keys checkpoints by ~id too', () => {
      const statements = checkpointStatements(NEPTUNE_DIALECT.keyedById);
      assert.equal(
        statements.lock,
        lines(
          'MERGE (c:`Pg2GraphCheckpoint` {`~id`: $id})',
          "ON CREATE SET c.`plan` = $plan, c.`entry` = $entry, c.`batches` = 0, c.`pending` = '[]', c.`complete` = false",
          'SET c.`updated` = $updated',
          'RETURN c.`owner` AS owner, c.`batches` AS batches, c.`lastKey` AS lastKey, c.`pending` AS pending, c.`lastIndex` AS lastIndex, c.`complete` AS complete, c.`source` AS source',
        ),
      );
    });

    it('retries a ConcurrentModificationException', () => {
      assert.equal(NEPTUNE_DIALECT.isTransient(new Error('Operation failed due to conflicting concurrent operations (ConcurrentModificationException)')), true);
      assert.equal(NEPTUNE_DIALECT.isTransient(new Error('Syntax error')), false);
    });
  });
});
