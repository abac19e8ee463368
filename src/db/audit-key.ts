import { createHmac, randomBytes, timingSafeEqual, type Hmac } from 'node:crypto'
import { closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs'
import type { Kysely, KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely'
import { now, type Db } from './connection.js'
import { isPostgresUrl } from './dialect.js'
import type { Database } from './schema.js'

/**
 * The key that seals the audit log. Each entry's hash is an HMAC-SHA-256 with a secret kept outside
 * the database, so someone who can edit the database cannot re-chain the log after changing it: they
 * would need the key too. The key comes from AUDIT_KEY, or on SQLite from a file beside the database
 * made at first run (owner-only). The database keeps the key's fingerprint (an HMAC of a fixed
 * label, never the key), so an instance started with another key refuses to start rather than seal
 * new entries that would never verify. Entries hashed before the app had a key stay plain SHA-256:
 * the one `audit_key` row lists each evaluation's last such entry and seals that list with the key
 * (see docs/decisions/0012-keyed-audit-log.md).
 */

/** The shortest AUDIT_KEY accepted: `openssl rand -hex 32` gives 64 characters. */
export const AUDIT_KEY_MIN_LENGTH = 32

const FINGERPRINT_LABEL = 'options-appraisal audit key fingerprint'
const LEGACY_LABEL = 'options-appraisal entries before the audit key'

export class AuditKey {
  /** An HMAC of a fixed label: it tells keys apart and gives nothing of the key away. */
  readonly fingerprint: string

  constructor(private readonly secret: Buffer) {
    this.fingerprint = this.mac(FINGERPRINT_LABEL)
  }

  /** An HMAC-SHA-256 to feed piece by piece. */
  hmac(): Hmac {
    return createHmac('sha256', this.secret)
  }

  mac(...parts: string[]): string {
    return this.hmac().update(parts.join('\n')).digest('hex')
  }

  /**
   * The secret as bytes, for the worker threads of this same process that read the database
   * themselves (src/work/database.ts): they check the log's chain with it. Never stored or logged.
   */
  secretBytes(): Uint8Array {
    return new Uint8Array(this.secret)
  }

  static fromBytes(bytes: Uint8Array): AuditKey {
    return new AuditKey(Buffer.from(bytes))
  }

  static fromText(text: string): AuditKey {
    return new AuditKey(Buffer.from(text, 'utf8'))
  }

  static generate(): string {
    return randomBytes(32).toString('hex')
  }
}

/** A key missing, malformed or not the one the database's log is sealed with: start-up stops here. */
export class AuditKeyError extends Error {}

/** Two hex digests compared in constant time. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

// ---------------------------------------------------------------------------------------------
// The key travels with the database handle

/**
 * Carries the key on a database handle: Kysely passes a handle's plugins to every transaction made
 * from it, so the data layer finds the key on whatever `Db` it was given, and a handle opened
 * without one (not through openDatabase) cannot write to the log at all.
 */
class AuditKeyPlugin implements KyselyPlugin {
  constructor(readonly key: AuditKey) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result)
  }
}

export function withAuditKey(db: Kysely<Database>, key: AuditKey): Kysely<Database> {
  return db.withPlugin(new AuditKeyPlugin(key))
}

export function auditKeyOf(db: Db): AuditKey {
  const plugin = db.getExecutor().plugins.find((p): p is AuditKeyPlugin => p instanceof AuditKeyPlugin)
  if (plugin === undefined) throw new Error('This database was opened without the audit key: open it with openDatabase')
  return plugin.key
}

// ---------------------------------------------------------------------------------------------
// Where the key comes from

/** The key file of a SQLite database: beside it, named after it. */
export function auditKeyFile(location: string): string {
  return `${location}.audit-key`
}

export interface KeySource {
  /** The key, when there is one to read. */
  key: AuditKey | undefined
  /** Where it comes from, in words: "AUDIT_KEY", "the key file data/appraisal.sqlite.audit-key". */
  where: string
  /** Makes a new key, on SQLite in a new owner-only key file: only for a database that has none yet. */
  create: () => AuditKey
}

/**
 * Finds the key for the database at `location`: AUDIT_KEY if it is set; otherwise on SQLite the key
 * file beside the database (made at first run, by `create`), or for ':memory:' a new random key.
 * With PostgreSQL, AUDIT_KEY is required so that every instance seals with the same key.
 */
export function auditKeySource(location: string, configured: string | undefined): KeySource {
  if (configured !== undefined && configured !== '') {
    if (configured.trim().length < AUDIT_KEY_MIN_LENGTH) {
      throw new AuditKeyError(`AUDIT_KEY must be at least ${AUDIT_KEY_MIN_LENGTH} characters; make one with: openssl rand -hex 32`)
    }
    const key = AuditKey.fromText(configured.trim())
    return { key, where: 'AUDIT_KEY', create: () => key }
  }
  if (isPostgresUrl(location)) {
    throw new AuditKeyError(
      'AUDIT_KEY must be set with DATABASE_URL, the same on every instance: it seals the audit log. Make one with: openssl rand -hex 32 (see the README)',
    )
  }
  if (location === ':memory:') {
    const key = AuditKey.fromText(AuditKey.generate())
    return { key, where: 'a key made for this in-memory database', create: () => key }
  }
  const file = auditKeyFile(location)
  return { key: existsSync(file) ? readKeyFile(file) : undefined, where: `the key file ${file}`, create: () => createKeyFile(file) }
}

function readKeyFile(file: string): AuditKey {
  const stat = statSync(file)
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    throw new AuditKeyError(`${file}: the audit key file can be read by other users; make it the owner's only with: chmod 600 ${file}`)
  }
  const text = readFileSync(file, 'utf8').trim()
  if (text.length < AUDIT_KEY_MIN_LENGTH) throw new AuditKeyError(`${file}: is not an audit key (it must hold at least ${AUDIT_KEY_MIN_LENGTH} characters)`)
  return AuditKey.fromText(text)
}

function createKeyFile(file: string): AuditKey {
  const text = AuditKey.generate()
  // 'wx': never overwrite a key; 0600: the owner's only.
  const fd = openSync(file, 'wx', 0o600)
  try {
    writeSync(fd, `${text}\n`)
  } finally {
    closeSync(fd)
  }
  return AuditKey.fromText(text)
}

// ---------------------------------------------------------------------------------------------
// The key and the database

/** Each evaluation's last entry hashed before the key: those up to it are plain SHA-256. */
export interface LegacyHead {
  evaluationId: number
  seq: number
  hash: string
}

/**
 * Checks the key against the fingerprint the database keeps, or, for a database that has none yet,
 * records it. `adopting` is true only as the migration that keyed the log runs: then the entries
 * already in the log are sealed as they stand. At any other time a log with entries but no
 * fingerprint has lost its `audit_key` row, and the app refuses to start rather than adopt a log
 * someone may have re-chained.
 */
export async function checkAuditKey(db: Kysely<Database>, source: KeySource, adopting: boolean): Promise<AuditKey> {
  const recorded = await db.selectFrom('audit_key').selectAll().where('id', '=', 1).executeTakeFirst()
  if (recorded !== undefined) return matching(source, recorded.fingerprint)
  const entry = await db.selectFrom('audit_entry').select('id').limit(1).executeTakeFirst()
  if (entry !== undefined && !adopting) {
    throw new AuditKeyError(
      'the database has an audit log but no record of the key that seals it (its audit_key row is gone): restore the database from a backup with its key',
    )
  }
  const key = source.key ?? source.create()
  const heads = adopting ? await legacyHeads(db) : []
  const legacy = JSON.stringify(heads.map((h) => ({ evaluationId: h.evaluationId, seq: h.seq, hash: h.hash })))
  // Two instances starting together on a new database: one row is kept, and the other instance
  // then checks its key against it like any later start.
  await db
    .insertInto('audit_key')
    .values({ id: 1, fingerprint: key.fingerprint, legacy, seal: key.mac(LEGACY_LABEL, legacy), created_at: now() })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
  const row = await db.selectFrom('audit_key').select('fingerprint').where('id', '=', 1).executeTakeFirstOrThrow()
  return matching({ ...source, key }, row.fingerprint)
}

function matching(source: KeySource, fingerprint: string): AuditKey {
  if (source.key === undefined) {
    throw new AuditKeyError(
      `the audit log is sealed with a key (fingerprint ${fingerprint.slice(0, 16)}) and ${source.where} is missing: put the key back from where it is kept, or set AUDIT_KEY`,
    )
  }
  if (!sameDigest(source.key.fingerprint, fingerprint)) {
    throw new AuditKeyError(
      `${source.where} is not the key this database's audit log is sealed with (fingerprint ${fingerprint.slice(0, 16)}, this key's ${source.key.fingerprint.slice(0, 16)}): start with the database's own key`,
    )
  }
  return source.key
}

async function legacyHeads(db: Kysely<Database>): Promise<LegacyHead[]> {
  const rows = await db
    .selectFrom('audit_entry as e')
    .select(['e.evaluation_id', 'e.seq', 'e.hash'])
    .where(({ eb, selectFrom }) =>
      eb(
        'e.seq',
        '=',
        selectFrom('audit_entry as l')
          .select((l) => l.fn.max('l.seq').as('m'))
          .whereRef('l.evaluation_id', '=', 'e.evaluation_id'),
      ),
    )
    .orderBy('e.evaluation_id')
    .execute()
  return rows.map((r) => ({ evaluationId: r.evaluation_id, seq: r.seq, hash: r.hash }))
}

/**
 * The entries hashed before the key, as the database's `audit_key` row records them, checked
 * against its seal; a problem in words when the row is missing or has been altered.
 */
export async function readLegacyHeads(db: Db, key: AuditKey): Promise<{ heads: Map<number, LegacyHead>; problem: string | null }> {
  const row = await db.selectFrom('audit_key').selectAll().where('id', '=', 1).executeTakeFirst()
  if (row === undefined) return { heads: new Map(), problem: 'The database has no record of the key that seals its audit log (its audit_key row is gone).' }
  if (!sameDigest(row.fingerprint, key.fingerprint)) {
    return { heads: new Map(), problem: 'The audit log is sealed with another key than the one given: no entry can be checked.' }
  }
  const heads = new Map<number, LegacyHead>()
  if (!sameDigest(key.mac(LEGACY_LABEL, row.legacy), row.seal)) {
    return { heads, problem: 'The record of the entries made before the audit log had a key has been altered: its seal no longer matches.' }
  }
  for (const head of JSON.parse(row.legacy) as LegacyHead[]) heads.set(head.evaluationId, head)
  return { heads, problem: null }
}
