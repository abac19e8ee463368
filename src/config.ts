import { z } from 'zod'
import { LOG_LEVELS } from './log.js'
import { DEFAULT_HEAP_MB } from './work/pool.js'

/** The environment, read once at start-up; a bad value stops the app with a clear message. */
const environment = z
  .object({
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
    // The most memory (MB) each worker thread's JavaScript heap may hold for reports and analyses (src/work/pool.ts).
    WORK_HEAP_MB: z.coerce
      .number({ error: 'WORK_HEAP_MB must be a number of megabytes, such as 512' })
      .int('WORK_HEAP_MB must be a whole number of megabytes')
      .min(128, 'WORK_HEAP_MB must be at least 128')
      .max(65536, 'WORK_HEAP_MB must be at most 65536')
      .default(DEFAULT_HEAP_MB),
    // How much the JSON log on standard output says: info logs every request, debug the health checks too.
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    // Single sign-on with OpenID Connect (src/auth/sso.ts): set OIDC_ISSUER and the three after it.
    OIDC_ISSUER: z.url({ protocol: /^https?$/, error: 'OIDC_ISSUER must be the provider’s issuer address, like https://login.example.org/realm' }).optional(),
    OIDC_CLIENT_ID: z.string().optional(),
    OIDC_CLIENT_SECRET: z.string().optional(),
    // This app's own callback as the provider knows it: https://<this site>/sign-in/sso/callback.
    OIDC_REDIRECT_URL: z
      .url({ protocol: /^https?$/, error: 'OIDC_REDIRECT_URL must be an address, like https://appraisal.example.org/sign-in/sso/callback' })
      .refine((v) => new URL(v).pathname === '/sign-in/sso/callback', 'OIDC_REDIRECT_URL must end in /sign-in/sso/callback')
      .optional(),
    // For providers that send no email_verified (Microsoft Entra ID): trust their email claim as verified.
    OIDC_TRUST_EMAIL: yesNo('OIDC_TRUST_EMAIL').default(false),
    // Create an account the first time someone the provider vouches for signs in; off, an administrator creates it first.
    OIDC_CREATE_ACCOUNTS: yesNo('OIDC_CREATE_ACCOUNTS').default(false),
    // The claim listing the person's groups, and the group whose members are site administrators.
    OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
    OIDC_ADMIN_GROUP: z.string().optional(),
    // What the sign-in button calls the provider: "Sign in with …".
    OIDC_NAME: z.string().min(1).max(60).default('your organisation’s account'),
    // Off: only single sign-on (needs OIDC_ISSUER).
    PASSWORD_SIGN_IN: z.enum(['on', 'off'], { error: 'PASSWORD_SIGN_IN must be on or off' }).default('on'),
  })
  .superRefine((env, ctx) => {
    if (env.OIDC_ISSUER === undefined) {
      if (env.PASSWORD_SIGN_IN === 'off')
        ctx.addIssue({ code: 'custom', path: ['PASSWORD_SIGN_IN'], message: 'can be off only with single sign-on (OIDC_ISSUER) set' })
      return
    }
    for (const name of ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URL'] as const) {
      if (env[name] === undefined) ctx.addIssue({ code: 'custom', path: [name], message: 'is needed with OIDC_ISSUER' })
    }
  })

function yesNo(name: string) {
  return z.enum(['yes', 'no'], { error: `${name} must be yes or no` }).transform((v) => v === 'yes')
}

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
    OIDC_ISSUER: env.OIDC_ISSUER || undefined,
    OIDC_CLIENT_ID: env.OIDC_CLIENT_ID || undefined,
    OIDC_CLIENT_SECRET: env.OIDC_CLIENT_SECRET || undefined,
    OIDC_REDIRECT_URL: env.OIDC_REDIRECT_URL || undefined,
    OIDC_TRUST_EMAIL: env.OIDC_TRUST_EMAIL || undefined,
    OIDC_CREATE_ACCOUNTS: env.OIDC_CREATE_ACCOUNTS || undefined,
    OIDC_GROUPS_CLAIM: env.OIDC_GROUPS_CLAIM || undefined,
    OIDC_ADMIN_GROUP: env.OIDC_ADMIN_GROUP || undefined,
    OIDC_NAME: env.OIDC_NAME || undefined,
    PASSWORD_SIGN_IN: env.PASSWORD_SIGN_IN || undefined,
  })
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'))
  }
  return parsed.data
}
