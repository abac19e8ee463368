import { createHash } from 'node:crypto'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { computeResults, computeResultsWithSensitivity, parseEvaluationText, type EvaluationFile } from './appraisal/index.js'
import { hashPassword, newPassword } from './auth/password.js'
import { readConfig } from './config.js'
import { findAccountByEmail, insertAccount } from './db/accounts.js'
import { importEvaluationFile, readEvaluationFile } from './db/evaluation-file.js'
import { BackupError, backupDatabase } from './db/backup.js'
import type { Actor } from './db/audit.js'
import { databaseLocation, openDatabase } from './db/open.js'
import { renderReport } from './report/index.js'

/** Who the audit log names for changes made with this command. */
const COMMAND_LINE: Actor = { accountId: null, name: 'Command line (appraise)' }

const usage = `Usage:
  npm run --silent appraise -- results FILE [--sensitivity] [--iterations N] [--seed S]
  npm run --silent appraise -- report FILE --out F      (the options appraisal PDF, marked DRAFT)
  npm run --silent appraise -- import FILE
  npm run --silent appraise -- export ID
  npm run --silent appraise -- user add EMAIL --name NAME [--admin]   (reads the password from stdin)
  npm run --silent appraise -- backup OUT      (a consistent copy of the whole database, taken while the app runs)

The database is PostgreSQL when DATABASE_URL is set, otherwise the SQLite file APPRAISAL_DB
(default data/appraisal.sqlite). On PostgreSQL, backup runs pg_dump (custom format, for pg_restore).`

/** A problem the user can fix: printed as its lines on stderr, with a non-zero exit. */
class CliError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'))
  }
}

const iterationsOption = z.coerce
  .number({ error: '--iterations: must be a whole number from 1 to 1,000,000' })
  .int('--iterations: must be a whole number from 1 to 1,000,000')
  .min(1, '--iterations: must be a whole number from 1 to 1,000,000')
  .max(1_000_000, '--iterations: must be a whole number from 1 to 1,000,000')
const seedOption = z
  .string()
  .regex(/^-?\d+$/, '--seed: must be a whole number')
  .transform(Number)
  .refine(Number.isSafeInteger, '--seed: must be a whole number')

const userOptions = z.object({
  email: z.string({ error: 'give the account’s email address' }).trim().pipe(z.email({ error: 'must be an email address, like name@example.org' })),
  name: z.string({ error: 'give the person’s name with --name' }).trim().min(1, 'give the person’s name with --name'),
  password: newPassword,
})

/** The password comes on standard input (one line), so it never appears in the shell history. */
async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password: ')
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '')
}

function readEvaluation(path: string | undefined): EvaluationFile {
  if (path === undefined) throw new CliError(['Name the evaluation file.', usage])
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new CliError([`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`])
  }
  const parsed = parseEvaluationText(text)
  if (!parsed.ok) throw new CliError(parsed.errors)
  return parsed.file
}

function option<T>(schema: z.ZodType<T>, value: string | undefined): T | undefined {
  if (value === undefined) return undefined
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw new CliError(parsed.error.issues.map((i) => i.message))
  return parsed.data
}

async function run(argv: string[]): Promise<string> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      sensitivity: { type: 'boolean', default: false },
      iterations: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      name: { type: 'string' },
      admin: { type: 'boolean', default: false },
    },
  })
  const [command, argument] = positionals
  if (values.help === true || command === undefined) return usage

  switch (command) {
    case 'results': {
      const iterations = option(iterationsOption, values.iterations)
      const seed = option(seedOption, values.seed)
      const file = readEvaluation(argument)
      const results = values.sensitivity === true
        ? computeResultsWithSensitivity(file, { ...(iterations !== undefined ? { iterations } : {}), ...(seed !== undefined ? { seed } : {}) })
        : computeResults(file)
      return JSON.stringify(results, null, 2)
    }
    case 'report': {
      if (values.out === undefined || values.out === '') throw new CliError(['--out: name the PDF file to write, for example --out report.pdf', usage])
      const file = readEvaluation(argument)
      const bytes = readFileSync(argument!)
      // The file's last change dates the report, so the same file always gives the same PDF.
      const pdf = await renderReport(file, computeResultsWithSensitivity(file), {
        status: 'draft',
        generatedAt: statSync(argument!).mtime,
        fileSha256: createHash('sha256').update(bytes).digest('hex'),
      })
      try {
        writeFileSync(values.out, pdf)
      } catch (error) {
        throw new CliError([`--out: ${values.out} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`])
      }
      return values.out
    }
    case 'import': {
      const file = readEvaluation(argument)
      const db = await openDatabase(databaseLocation(readConfig()))
      try {
        return String(await importEvaluationFile(db, file, { actor: COMMAND_LINE, summary: `Evaluation “${file.title}” imported from ${argument} on the command line` }))
      } finally {
        await db.destroy()
      }
    }
    case 'export': {
      const id = option(z.coerce.number().int().positive('ID: must be an evaluation id, a whole number'), argument)
      if (id === undefined) throw new CliError(['Name the evaluation id.', usage])
      const db = await openDatabase(databaseLocation(readConfig()))
      try {
        const file = await readEvaluationFile(db, id)
        if (file === undefined) throw new CliError([`ID: there is no evaluation ${id}`])
        return JSON.stringify(file, null, 2)
      } finally {
        await db.destroy()
      }
    }
    case 'user': {
      if (argument !== 'add') throw new CliError([`Unknown command "user ${argument ?? ''}": use "user add".`, usage])
      const parsed = userOptions.safeParse({ email: positionals[2], name: values.name, password: await readStdin() })
      if (!parsed.success) throw new CliError(parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`))
      const db = await openDatabase(databaseLocation(readConfig()))
      try {
        if ((await findAccountByEmail(db, parsed.data.email)) !== undefined) {
          throw new CliError([`email: there is already an account for ${parsed.data.email}`])
        }
        const id = await insertAccount(db, {
          email: parsed.data.email,
          name: parsed.data.name,
          passwordHash: await hashPassword(parsed.data.password),
          admin: values.admin === true,
        })
        return String(id)
      } finally {
        await db.destroy()
      }
    }
    case 'backup': {
      if (argument === undefined || argument === '') throw new CliError(['Name the file to write the backup to.', usage])
      try {
        return await backupDatabase(databaseLocation(readConfig()), argument)
      } catch (error) {
        if (error instanceof BackupError) throw new CliError(error.message.split('\n'))
        throw error
      }
    }
    default:
      throw new CliError([`Unknown command "${command}".`, usage])
  }
}

run(process.argv.slice(2)).then(
  (output) => {
    process.stdout.write(`${output}\n`)
  },
  (error: unknown) => {
    if (error instanceof CliError) process.stderr.write(`${error.lines.join('\n')}\n`)
    else process.stderr.write(`appraise: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  },
)
