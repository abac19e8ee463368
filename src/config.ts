import { z } from 'zod'
import { LOG_LEVELS } from './log.js'

/** The environment, read once at start-up; a bad value stops the app with a clear message. */
const environment = z.object({
  APPRAISAL_DB: z.string().min(1).default('data/appraisal.sqlite'),
  PORT: z.coerce
    .number({ error: 'PORT must be a number' })
    .int('PORT must be a whole number')
    .min(1, 'PORT must be between 1 and 65535')
    .max(65535, 'PORT must be between 1 and 65535')
    .default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  // How many proxies in front of the app to believe about the client's address and https
  // (X-Forwarded-For, X-Forwarded-Proto); 0 believes neither header.
  TRUST_PROXY: z.coerce
    .number({ error: 'TRUST_PROXY must be a number of proxies, such as 1' })
    .int('TRUST_PROXY must be a whole number of proxies, such as 1')
    .min(0, 'TRUST_PROXY must be between 0 and 10')
    .max(10, 'TRUST_PROXY must be between 0 and 10')
    .default(0),
  // Set, it selects PostgreSQL; a value that is not a PostgreSQL address stops the app rather than
  // quietly falling back to the SQLite file.
  DATABASE_URL: z.string().refine(isPostgresAddress, 'must be a PostgreSQL address, like postgres://user:password@db.example.org:5432/appraisal').optional(),
  // The secret that seals the audit log (src/db/audit-key.ts); required with DATABASE_URL, where
  // every instance must share it. Unset on SQLite: a key file beside the database.
  AUDIT_KEY: z.string().optional(),
  // How much the JSON log on standard output says: info logs every request, debug the health checks too.
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
})

function isPostgresAddress(value: string): boolean {
  if (!/^postgres(ql)?:\/\//i.test(value)) return false
  try {
    new URL(value)
    return true
  } catch {
    return false
  }
}

export type Config = z.infer<typeof environment>

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environment.safeParse({
    APPRAISAL_DB: env.APPRAISAL_DB || undefined,
    PORT: env.PORT || undefined,
    HOST: env.HOST || undefined,
    TRUST_PROXY: env.TRUST_PROXY || undefined,
    DATABASE_URL: env.DATABASE_URL || undefined,
    AUDIT_KEY: env.AUDIT_KEY || undefined,
    LOG_LEVEL: env.LOG_LEVEL || undefined,
  })
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'))
  }
  return parsed.data
}
