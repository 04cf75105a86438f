/**
 * The custom domain names this node serves, in memory: the edge decides whether a request is for
 * a deployed API from its Host header alone, with no store read (EdgeRoute.accepts is
 * synchronous and sees every request, AWS API calls included).
 *
 * This node's CreateDomainName and DeleteDomainName change the set at once; the store is read
 * again every second, so a domain another node of the cluster made is served here within about
 * a second, and one it deleted stops being served. The v1 and v2 APIs are two service
 * definitions of one Stratus: they share this object through the store they are both given.
 */
import type { Logger } from 'pino';
import { Poller } from '../../../engine/poller.js';
import type { Store } from '../../../storage/store.js';
import { domainNameQueries } from './tables.js';

const REFRESH_MS = 1000;

/** `API.Example.com:4566` → `api.example.com`; a bracketed IPv6 address stays as it is. */
export function hostName(host: string): string {
  const name = host.startsWith('[') ? host : host.replace(/:\d*$/, '');
  return name.toLowerCase().replace(/\.$/, '');
}

const directories = new WeakMap<Store, DomainDirectory>();

/** The directory of the Stratus that `store` belongs to: one object per running Stratus. */
export function domainDirectoryOf(deps: { store: Store; logger: Logger }): DomainDirectory {
  let directory = directories.get(deps.store);
  if (!directory) {
    directory = new DomainDirectory(deps.store, deps.logger);
    directories.set(deps.store, directory);
  }
  return directory;
}

export class DomainDirectory {
  /** Host names (domain names and their aliases, lower case) → the domain's key. */
  private hosts = new Map<string, string>();
  /** Set while a refresh reads: this node's changes made meanwhile, replayed over what it read. */
  private changesDuringRefresh: (() => void)[] | undefined;
  private readonly poller: Poller;

  constructor(
    private readonly store: Store,
    logger: Logger,
  ) {
    this.poller = new Poller(
      () => this.refresh(),
      REFRESH_MS,
      (err) => logger.warn({ err }, 'reading the custom domain names failed'),
    );
  }

  start(): void {
    this.poller.start();
    this.poller.runNow().catch(() => undefined);
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** Reads the store now (after a reset or a snapshot load replaced the rows). */
  refreshNow(): Promise<void> {
    return this.poller.runAgain();
  }

  /**
   * The domain (its key) a Host header names: its name or alias, else the closest wildcard name
   * (`*.example.com` for `a.b.example.com` when there is no `*.b.example.com`).
   */
  domainOf(host: string | undefined): string | undefined {
    if (!host || this.hosts.size === 0) return undefined;
    const name = hostName(host);
    const exact = this.hosts.get(name);
    if (exact !== undefined) return exact;
    for (let dot = name.indexOf('.'); dot !== -1; dot = name.indexOf('.', dot + 1)) {
      const wildcard = this.hosts.get(`*${name.slice(dot)}`);
      if (wildcard !== undefined) return wildcard;
    }
    return undefined;
  }

  /** This node created (or re-aliased) a domain. */
  added(domain: string, alias: string, previousAlias?: string): void {
    this.change(() => {
      if (previousAlias !== undefined) this.hosts.delete(previousAlias);
      this.hosts.set(domain, domain);
      this.hosts.set(alias, domain);
    });
  }

  /** This node deleted a domain. */
  removed(domain: string, alias: string): void {
    this.change(() => {
      this.hosts.delete(domain);
      this.hosts.delete(alias);
    });
  }

  private change(apply: () => void): void {
    apply();
    this.changesDuringRefresh?.push(apply);
  }

  private async refresh(): Promise<void> {
    const changes: (() => void)[] = [];
    this.changesDuringRefresh = changes;
    try {
      const hosts = new Map<string, string>();
      for (const row of await domainNameQueries.hosts(this.store)) {
        hosts.set(row.domain_name, row.domain_name);
        hosts.set(row.alias, row.domain_name);
      }
      this.hosts = hosts;
      for (const apply of changes) apply();
    } finally {
      this.changesDuringRefresh = undefined;
    }
  }
}
