/**
 * Every error code the engine, the nodes and the command line can produce, each with its meaning in one line.
 * This is the one list: a Pg2GraphError takes only these codes, and README's "Error codes" table shows the same
 * codes with the same text (test/engine/error-codes.test.ts keeps the two in step). Codes from elsewhere (a
 * Neo4j server code, the code in an acknowledgement another node sent) are plain strings in their own fields.
 */
export const ERROR_CODES = {
  // connections (connect/)
  PG_SETTING_INVALID: 'a Postgres connection setting is malformed (the message names it: port, sslMode, connectionStringEnv, ...)',
  PG_AUTH_FAILED: 'the Postgres server refused the user or password',
  PG_DATABASE_NOT_FOUND: 'the Postgres database does not exist',
  PG_UNREACHABLE: 'no Postgres server answered at that address within 5 seconds, or the connection broke',
  PG_TLS_FAILED:
    'TLS with the Postgres server failed: its certificate was not trusted or does not name the host, or the server has TLS off (the message names host and sslMode)',
  PG_CLOSED: 'the Postgres connection was used after its config node closed it',
  PG_ERROR: 'Postgres failed in another way (the message carries the server text and its SQLSTATE)',
  NEO4J_SETTING_INVALID: 'a Neo4j connection setting is malformed or the driver refused it (the message names it: uri, dialect, tls, ...)',
  NEO4J_AUTH_FAILED: 'the Neo4j server refused the user or password',
  NEO4J_DATABASE_NOT_FOUND: 'the Neo4j database does not exist',
  NEO4J_UNREACHABLE: 'no Neo4j server answered at that address within 5 seconds, or the session expired',
  NEO4J_TLS_FAILED:
    'TLS with the Neo4j server failed: its certificate was not trusted (bolt+s checks it against the system CAs), or the server does not speak TLS (the message names the URI)',
  NEO4J_CLOSED: 'the Neo4j connection was used after its config node closed it',
  NEO4J_ERROR: 'Neo4j failed in another way (the message carries the server text and its Neo4j code)',
  GREMLIN_SETTING_INVALID: 'a Gremlin connection setting is malformed (the message names it: url, traversalSource, tls, ...)',
  GREMLIN_AUTH_FAILED: 'the Gremlin server refused the user or password',
  GREMLIN_TRAVERSAL_SOURCE_UNKNOWN: 'the Gremlin server has no traversal source of that name (the message names it)',
  GREMLIN_UNREACHABLE: 'no Gremlin server answered at that address within 5 seconds, or the connection broke',
  GREMLIN_TLS_FAILED: 'TLS with the Gremlin server failed: its certificate was not trusted, or the server does not speak TLS (the message names the URL)',
  GREMLIN_CLOSED: 'the Gremlin connection was used after its owner closed it',
  GREMLIN_ERROR: 'the Gremlin server failed in another way (the message carries the server text and its status code)',
  // node configuration (nodes/)
  CONFIG_MISSING: 'a node has no config node of the right type chosen for a connection setting',
  CONFIG_NOT_DEPLOYED: 'the chosen Postgres config node is not deployed yet, so the schema preview has no connection',
  SETTING_INVALID: 'a pg schema node setting is malformed (typePolicies)',
  INPUT_INVALID: 'a message property the pg schema node reads is malformed (msg.schemas)',
  // schema and plan (schema/, plan/, values/)
  SCHEMA_NOT_FOUND: 'no schema was named, or a named schema is not in the database (names are case-sensitive)',
  PLAN_INVALID: 'the graph plan is not valid JSON or fails validation (the message lists every problem with its path)',
  PLAN_NOT_FOUND: 'the plan file cannot be read',
  OVERRIDES_INVALID: 'the plan overrides are not valid JSON or not of the expected shape (the message lists every problem)',
  VALUE_RULE_UNKNOWN: 'a mapping names a value rule that does not exist',
  VALUE_NO_RULE: 'a column type has no value rule: set "as" (e.g. "string") for the column',
  VALUE_INVALID:
    'a Postgres value does not fit its value rule (the message names entry, column and row key); only with onInvalid "fail", else the row is rejected',
  PLAN_VALUES_UNREPRESENTABLE:
    "the run's preflight found values the plan's rules cannot hold; nothing was read or written (the message lists every problem and the policy that would keep it)",
  PROBE_SETTING_INVALID: 'a probe setting is malformed (probeTimeoutMs: an integer of milliseconds from 0, no limit, to 86,400,000)',
  // reading (read/)
  READ_INPUT_INVALID: 'pg read got a message that is none of msg.plan, msg.table, msg.sql, msg.ack or msg.stop',
  READ_PLAN_INVALID: 'a plan given to pg read is not a graph plan, or an entry in it cannot be read as written',
  READ_REQUEST_INVALID: 'a single-table read names both a table and a SQL query, or neither',
  READ_TABLE_NAME_INVALID: 'a table name is not "schema.table" or "table"',
  READ_TABLE_NOT_FOUND: 'a table to read does not exist or is not visible to the user',
  READ_COLUMN_NOT_FOUND: 'a column to read does not exist in the source (dropped or renamed?)',
  READ_SQL_INVALID: "an entry's SQL query cannot run, or returns two columns of the same name",
  READ_ENTRY_NOT_FOUND: 'an entry named in entries or resume is not in the plan',
  READ_RESUME_INVALID: "a resume point is malformed, does not match the entry's key, or is for an entry read with a cursor",
  READ_BATCH_SIZE_INVALID: 'the batch size is not an integer from 1 to 1,000,000',
  READ_WINDOW_INVALID: 'the number of batches in flight is not an integer from 1 to 1000',
  READ_ACK_INVALID: 'msg.ack is not an acknowledgement ({ run, seq, ok })',
  READ_BUSY: 'a run is already in progress in this pg read node',
  READ_BATCH_FAILED:
    "a batch, or the writer's preparation for a phase (runStart), was acknowledged as failed (the message names the entry and key range, or the phase)",
  READ_RUN_END_FAILED: 'every batch of the run was written, but its end (runEnd) was refused: the checkpoints of its entries may stay behind',
  READ_ACK_TIMEOUT:
    'batches were out and nothing acknowledged any of them within the acknowledgement timeout (a message lost on the way, e.g. in a redeploy of graph write, or graph write not wired back): the run stops, resumable',
  READ_FAILED: 'reading an entry failed (the message names the entry and the last key reached)',
  READ_CANCELLED: 'the read was cancelled (the node was closed or redeployed, or the run was aborted)',
  READ_CLOSED: 'the read snapshot was used after it was closed',
  // shaping (shape/)
  SHAPE_ROWS_INVALID: 'msg.payload is not a row batch as pg read sends it',
  SHAPE_ENTRY_INVALID: 'msg.entry is not an entry of the kind the shaping node needs, or lacks a required field',
  SHAPE_MAPPING_MISSING: 'row → node has neither msg.entry nor a label and key columns in its settings',
  SHAPE_MAPPING_INVALID: 'a row → node setting (rules, computed) is not valid JSON',
  SHAPE_COLUMN_MISSING: 'a column the mapping needs is not in the row batch or not mapped by the entry',
  SHAPE_ENDS_MISSING: 'msg.ends lacks the labels or property rules of a relationship end (pg read sets it)',
  SHAPE_EXPRESSION_INVALID: 'a computed property has no name, an unknown value rule, or a JSONata expression that does not compile',
  SHAPE_FLATTEN_COLLISION: 'a flattened member would become a property the entry already has',
  SHAPE_NAME_COLLISION: 'an entry defines the same property twice',
  SHAPE_KEY_NULL: 'a row has NULL in a key column: every node needs its whole key (only with onInvalid "fail", else the row is rejected)',
  SHAPE_SETTING_INVALID: 'the onInvalid setting of row → node, fk → edge or the command line is neither "reject" nor "fail"',
  // writing (write/)
  WRITE_SETTING_INVALID: 'a graph write setting (mode, concurrency, maxRetries, batchTimeoutMs) is malformed or out of range',
  WRITE_INPUT_INVALID: 'graph write got a message that is not a record batch, control message or command it knows, or a batch without its batch info',
  WRITE_PLAN_UNSUPPORTED: 'the plan holds something the graph target cannot express (the message names the entry and what: e.g. a second label on Gremlin)',
  WRITE_KEY_MISSING: 'a key property is null',
  WRITE_KEY_INVALID: 'a key property is a list or another value the graph cannot store',
  WRITE_KEY_CONFLICT: 'in CREATE mode a record has a key the graph already holds',
  WRITE_VALUE_REFUSED: 'a property value cannot be stored in the graph (found before sending, or by bisection after the server refused it)',
  WRITE_TARGET_NOT_EMPTY: 'CREATE mode refuses to write an entry whose records the graph already holds outside an unfinished run',
  WRITE_SCHEMA_CONFLICT: 'an existing index or constraint prevents the key constraint the plan needs',
  WRITE_SCHEMA_FAILED: 'creating a constraint or index failed',
  WRITE_RETRIES_EXHAUSTED: 'a batch still failed with a transient error after the last retry',
  WRITE_FAILED: 'the graph refused a batch (the message names the entry, the batch and its key range)',
  WRITE_ABORTED: 'the graph writer was closed while the batch was waiting or in flight',
  WRITE_TIMEOUT:
    "a batch's transaction did not commit, or a statement of the writer's own did not answer, within the batch timeout (default 60 s; the message names entry, batch and key range): it was given up, and running again resumes",
  // offline exports (write/files/)
  EXPORT_SETTING_INVALID: 'an export setting (format, out, gzip, arrayDelimiter, overwrite) is missing, malformed or out of range (the message names it)',
  EXPORT_DIR_NOT_EMPTY: 'the export directory holds files that are not an unfinished export of the same plan and format: choose an empty one, or overwrite',
  EXPORT_PLAN_UNSUPPORTED: 'the plan holds something the export format cannot express (the message names the entry and the property, label or rule)',
  EXPORT_VALUE_REFUSED: 'a value cannot be written in the export format (the message names entry, row key and property)',
  EXPORT_WRITE_FAILED:
    'writing an export file failed, for example a full disk (the message names the file); no part is left looking complete, and running again resumes',
  EXPORT_BATCH_UNCLAIMED: 'a batch reached the export that no checkpoint of the current reading vouches for: adding it could duplicate rows, so it was refused',
  // verification (verify/)
  VERIFY_PLAN_MISSING: 'graph verify got no msg.plan',
  VERIFY_OPTION_INVALID: 'a verify option is malformed (sample, batch size, entries not in the plan)',
  VERIFY_AGGREGATE_INVALID: 'an aggregate to check is malformed or names a column the entry does not read',
  VERIFY_CANCELLED: 'the verification was cancelled',
  // graph queries (query/)
  QUERY_INPUT_INVALID:
    "a graph query's input is malformed: no Cypher, params that are not an object, a parameter of a type with no graph form (the message names the parameter), or a timeout that is not a whole number of milliseconds from 1",
  QUERY_UNSUPPORTED: 'graph query runs Cypher over Bolt only: the chosen graph connection speaks another protocol (the message names the setting)',
  QUERY_FAILED:
    'the graph refused or failed the query, e.g. a Cypher syntax error or a write in the read transaction (the message carries the server text and its Neo4j code)',
  QUERY_TIMEOUT: 'the graph query did not finish within its timeout (default 60 s): the server ends its transaction, and the caller stops waiting',
  QUERY_CANCELLED: 'the graph query was cancelled (the node was closed or redeployed, or the caller aborted)',
  // SQL to Cypher (translate/)
  TRANSLATE_UNSUPPORTED:
    'the SQL holds a construct the translator does not turn into Cypher, or not faithfully (the message names it and its character position in the SQL)',
  TRANSLATE_INPUT_INVALID:
    'the SQL to translate does not parse (the message gives the position), is not one statement, or names a table or column the plan does not map',
  // the whole run in one process (migrate/, cli/)
  MIGRATE_MODE_INVALID: 'the migrate mode is not merge or create',
  MIGRATE_FAILED: 'writing a batch failed with an error that had no code of its own',
  CLI_FLAG_INVALID: 'a command-line flag is missing or malformed (the message names it)',
  // failures that are not pg2graph's own
  INTERNAL: "a node failed with an error that had no code of its own (the message is that error's)",
  UNKNOWN: 'the connection test failed with an error that had no code of its own',
} as const;

/** The code of a Pg2GraphError: one of ERROR_CODES. */
export type ErrorCode = keyof typeof ERROR_CODES;
