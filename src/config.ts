import { z } from 'zod'

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
})

export type Config = z.infer<typeof environment>

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environment.safeParse({
    APPRAISAL_DB: env.APPRAISAL_DB || undefined,
    PORT: env.PORT || undefined,
    HOST: env.HOST || undefined,
  })
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'))
  }
  return parsed.data
}
