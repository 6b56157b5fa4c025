/**
 * One Gremlin client (a WebSocket, GraphBinary) for one configured server, created on first use and closed by its
 * owner (README.md, Gremlin). Traversals are bytecode, like Neptune serves them; every request runs under a
 * deadline, since a WebSocket that never answers would otherwise keep its caller waiting forever.
 */
import gremlin from 'gremlin';
import { settlesWithin, withDeadline } from '../core/deadline';
import { Pg2GraphError } from '../core/errors';
import { GRAPHBINARY_MIME_TYPE, gremlinReader, gremlinWriter } from './gremlin-codec';
import { translateGremlinError } from './gremlin-errors';
import { redactUri } from './redact';
import {
  checkGremlinSettings,
  checkedGremlinTls,
  checkedTraversalSource,
  describeGremlin,
  gremlinConnectTimeoutOf,
  type GremlinSettings,
} from './gremlin-settings';

type Source = gremlin.process.GraphTraversalSource;
type Traversal = gremlin.process.GraphTraversal;

export interface GremlinServerInfo {
  url: string;
  traversalSource: string;
}

/** Most of a close a stalled server may never confirm. */
const CLOSE_WAIT_MS = 2000;

interface Socket {
  terminate?(): void;
}

export class GremlinConnection {
  readonly target: string;
  readonly traversalSource: string;
  private readonly settings: GremlinSettings;
  private remote: gremlin.driver.DriverRemoteConnection | undefined;
  private source: Source | undefined;
  private closed = false;

  constructor(settings: GremlinSettings) {
    this.settings = settings;
    this.target = describeGremlin(settings);
    this.traversalSource = checkedTraversalSource(settings.traversalSource);
  }

  /** The connect timeout of these settings (ms). */
  get connectTimeoutMs(): number {
    return gremlinConnectTimeoutOf(this.settings);
  }

  /** The traversal source bound to this server; throws a typed error for invalid settings or after close(). */
  g(): Source {
    if (this.closed) throw new Pg2GraphError('GREMLIN_CLOSED', `Gremlin connection to ${this.target} is closed`);
    if (!this.source) {
      checkGremlinSettings(this.settings);
      const { user, password } = this.settings;
      this.remote = new gremlin.driver.DriverRemoteConnection(this.settings.url.trim(), {
        traversalSource: this.traversalSource,
        mimeType: GRAPHBINARY_MIME_TYPE,
        reader: gremlinReader,
        writer: gremlinWriter,
        // a ws-package option: the client then uses the `ws` package on every Node version (its global WebSocket lacks events it listens to)
        rejectUnauthorized: checkedGremlinTls(this.settings.tls) === 'verify',
        ...(user || password ? { authenticator: new gremlin.driver.auth.PlainTextSaslAuthenticator(user ?? '', password ?? '') } : {}),
      });
      // a broken socket also fails the requests on it; the event itself needs no answer
      this.remote.addListener('socketError', () => undefined);
      this.source = gremlin.process.AnonymousTraversalSource.traversal().withRemote(this.remote);
    }
    return this.source;
  }

  /** Runs a traversal to its end within ms; a server that does not answer in time fails it with GREMLIN_UNREACHABLE. */
  async run<T = unknown>(traversal: Traversal, ms: number, what: string): Promise<T[]> {
    try {
      return await withDeadline<T[]>(traversal.toList() as Promise<T[]>, ms, () => this.stalled(ms, what));
    } catch (error) {
      throw this.translate(error);
    }
  }

  /**
   * Proves that network, login and traversal source work, by running a traversal within the connect timeout as
   * a whole (a port that accepts and never answers would otherwise keep it waiting).
   */
  async check(): Promise<GremlinServerInfo> {
    const timeoutMs = this.connectTimeoutMs;
    await this.run(this.g().inject(1), timeoutMs, 'the connection check');
    return { url: redactUri(this.settings.url.trim()), traversalSource: this.traversalSource };
  }

  translate(error: unknown): Pg2GraphError {
    return translateGremlinError(error, this.target, this.traversalSource, this.settings.password ? [this.settings.password] : []);
  }

  /** Closes the client; a socket that does not confirm within a short wait (or never opened) is cut. */
  async close(): Promise<void> {
    this.closed = true;
    const remote = this.remote;
    this.remote = undefined;
    this.source = undefined;
    if (!remote) return;
    const closing = remote.close().catch(() => undefined);
    if (!(await settlesWithin(closing, CLOSE_WAIT_MS)) || remote.isOpen === false) socketOf(remote)?.terminate?.();
  }

  private stalled(ms: number, what: string): Pg2GraphError {
    return new Pg2GraphError(
      'GREMLIN_UNREACHABLE',
      `Gremlin server at ${this.target} gave no answer to ${what} within ${ms} ms (a port that accepts connections but never answers, a frozen server, or a network that drops the packets)`,
      { target: this.target, timeoutMs: ms },
    );
  }
}

/** The client's WebSocket, to cut one that is still connecting when the client is closed (the client only closes open ones). */
function socketOf(remote: gremlin.driver.DriverRemoteConnection): Socket | undefined {
  const client = (remote as unknown as { _client?: { _connection?: { _ws?: Socket } } })._client;
  return client?._connection?._ws;
}
