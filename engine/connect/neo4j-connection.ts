import neo4j, { type Driver, type Session } from 'neo4j-driver';
import { Pg2GraphError } from '../core/errors';
import { authToken, checkedDialect, describeNeo4j, toDriverConfig, type GraphDialect, type Neo4jSettings } from './neo4j-settings';
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

  /** Proves that network, login and database work, by running a statement on the chosen database. */
  async check(): Promise<Neo4jServerInfo> {
    const driver = this.getDriver();
    try {
      const info = await driver.getServerInfo({ database: this.database });
      const session = this.session('READ');
      try {
        await session.run('RETURN 1 AS ok');
      } finally {
        await session.close();
      }
      return { agent: info.agent ?? 'unknown', address: info.address ?? '', protocolVersion: String(info.protocolVersion ?? '') };
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
