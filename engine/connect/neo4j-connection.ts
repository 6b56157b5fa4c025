import neo4j, { type Driver, type Session } from 'neo4j-driver';
import { withDeadline } from '../core/deadline';
import { Pg2GraphError } from '../core/errors';
import { authToken, checkedDialect, connectTimeoutOf, describeNeo4j, toDriverConfig, type GraphDialect, type Neo4jSettings } from './neo4j-settings';
import { translateNeo4jError } from './neo4j-errors';

export interface Neo4jServerInfo {
  /** e.g. "Neo4j/5.26.30" */
  agent: string;
  address: string;
  protocolVersion: string;
}

/** One neo4j Driver for one configured server, created on first use and closed by its owner. */
export class Neo4jConnection {
  readonly target: string;
  readonly database: string | undefined;
  private readonly settings: Neo4jSettings;
  private driver: Driver | undefined;
  private closed = false;

  constructor(settings: Neo4jSettings) {
    this.settings = settings;
    this.target = describeNeo4j(settings);
    this.database = settings.database || undefined;
  }

  get dialect(): GraphDialect {
    return checkedDialect(this.settings.dialect);
  }

  /** The shared driver; throws a typed error for invalid settings or after close(). */
  getDriver(): Driver {
    if (this.closed) throw new Pg2GraphError('NEO4J_CLOSED', `Neo4j connection to ${this.target} is closed`);
    if (!this.driver) {
      const config = toDriverConfig(this.settings);
      try {
        this.driver = neo4j.driver(this.settings.uri.trim(), authToken(this.settings), config);
      } catch (error) {
        throw new Pg2GraphError(
          'NEO4J_SETTING_INVALID',
          `Neo4j setting "uri" was refused by the driver: ${this.translate(error).message}`,
          { setting: 'uri' },
          error,
        );
      }
    }
    return this.driver;
  }

  session(mode: 'READ' | 'WRITE' = 'WRITE'): Session {
    return this.getDriver().session({
      database: this.database,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
    });
  }

  /**
   * Proves that network, login and database work, by running a statement on the chosen database, within the
   * connect timeout (default 5 s) as a whole: the driver's own connection timeout covers only the TCP (and TLS)
   * connect, so a port that accepts and never answers Bolt would otherwise keep it waiting for a pooled
   * connection (README.md, Connections).
   */
  async check(): Promise<Neo4jServerInfo> {
    const driver = this.getDriver();
    const timeoutMs = connectTimeoutOf(this.settings);
    const work = (async () => {
      const info = await driver.getServerInfo({ database: this.database });
      const session = this.session('READ');
      try {
        await session.run('RETURN 1 AS ok');
      } finally {
        await session.close();
      }
      return { agent: info.agent ?? 'unknown', address: info.address ?? '', protocolVersion: String(info.protocolVersion ?? '') };
    })();
    try {
      return await withDeadline(
        work,
        timeoutMs,
        () =>
          new Pg2GraphError(
            'NEO4J_UNREACHABLE',
            `Neo4j at ${this.target} cannot be reached: no answer within ${timeoutMs} ms (a port that accepts connections but never answers Bolt, a frozen server, or a network that drops the packets)`,
            { target: this.target, timeoutMs },
          ),
      );
    } catch (error) {
      throw this.translate(error);
    }
  }

  translate(error: unknown): Pg2GraphError {
    return translateNeo4jError(error, this.target, this.settings.password ? [this.settings.password] : []);
  }

  async close(): Promise<void> {
    this.closed = true;
    const driver = this.driver;
    this.driver = undefined;
    if (driver) await driver.close();
  }
}
