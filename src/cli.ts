import { createHash } from 'node:crypto'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import {
  computeResults,
  computeResultsWithSensitivity,
  evaluationFileText,
  FigureOutOfRangeError,
  MAX_ITERATIONS,
  parseEvaluationText,
  prepareModel,
  resultsWithSensitivityFromModel,
  type EvaluationFile,
} from './appraisal/index.js'
import { weighPairwiseInput } from './appraisal/pairwise-input.js'
import { hashPassword, newPassword } from './auth/password.js'
import { readConfig } from './config.js'
import { findAccountByEmail, insertAccount } from './db/accounts.js'
import { importEvaluationFile, partsNotStored, readEvaluationFile } from './db/evaluation-file.js'
import { BackupError, backupDatabase } from './db/backup.js'
import type { Actor } from './db/audit.js'
import { describeLocation, inReadSnapshot, isPostgresUrl, storageProblems } from './db/dialect.js'
import { databaseLocation, openDatabase } from './db/open.js'
import { verifyAll, verifyEvaluation, type RecordCheck } from './db/verify.js'
import { formatCount } from './format.js'
import { assessmentSummaryProblem, renderAssessmentSummary } from './report/assessment-summary.js'
import { renderReport } from './report/index.js'
import { ocdsReleasePackage, ocdsProblem } from './open-data/ocds.js'
import { planDate, renderPlanDocument } from './report/plan.js'

/** Who the audit log names for changes made with this command. */
const COMMAND_LINE: Actor = { accountId: null, name: 'Command line (appraise)' }

const usage = `Usage:
  npm run --silent appraise -- results FILE [--sensitivity] [--iterations N] [--seed S]
  npm run --silent appraise -- report FILE --out F      (the options appraisal PDF, marked DRAFT)
  npm run --silent appraise -- summary FILE --option ID --out F   (a tender's assessment summary PDF; DRAFT unless the file is "finalised")
  npm run --silent appraise -- ocds FILE       (the award as an OCDS 1.1 release package, JSON on stdout)
  npm run --silent appraise -- plan FILE --out F        (the evaluation plan as a PDF, stamped with its SHA-256)
  npm run --silent appraise -- ahp MATRIX.json     (weights from pairwise judgements: { "items", "matrix" } or { "items", "judgements" })
  npm run --silent appraise -- import FILE
  npm run --silent appraise -- export ID
  npm run --silent appraise -- user add EMAIL --name NAME [--admin]   (reads the password from stdin)
  npm run --silent appraise -- backup OUT      (a consistent copy of the whole database, taken while the app runs)
  npm run --silent appraise -- verify [ID] [--json]   (checks the records of one evaluation, or all, against the audit log)

The database is PostgreSQL when DATABASE_URL is set, otherwise the SQLite file APPRAISAL_DB
(default data/appraisal.sqlite). On PostgreSQL, backup runs pg_dump (custom format, for pg_restore).

Every command exits 0 when it succeeds and 1 when it cannot do what was asked. verify exits 0 when
every record matches the audit log, 1 when it finds a problem (listed on stdout), and 2 when it
cannot check (a wrong ID, a database that cannot be opened: said on stderr).`

/** verify's exit statuses, as diff and cmp have them: nothing found, problems found, could not check. */
const VERIFY_INTACT = 0
const VERIFY_PROBLEMS = 1
const VERIFY_CANNOT_CHECK = 2

/** A problem the user can fix: printed as its lines on stderr, with a non-zero exit. */
class CliError extends Error {
  constructor(
    readonly lines: string[],
    readonly exitCode = 1,
  ) {
    super(lines.join('\n'))
  }
}

const count = new Intl.NumberFormat('en-GB')

/** What a command prints on stdout, and its exit status when that is not 0. */
interface Outcome {
  output: string
  exitCode: number
}

const ITERATIONS_MESSAGE = `--iterations: must be a whole number from 1 to ${count.format(MAX_ITERATIONS.commandLine)}`
const iterationsOption = z.coerce
  .number({ error: ITERATIONS_MESSAGE })
  .int(ITERATIONS_MESSAGE)
  .min(1, ITERATIONS_MESSAGE)
  .max(MAX_ITERATIONS.commandLine, ITERATIONS_MESSAGE)
const evaluationIdArgument = z
  .string()
  .regex(/^\d+$/, 'ID: must be an evaluation id, a whole number such as 3')
  .transform(Number)
  .refine((id) => Number.isSafeInteger(id) && id > 0, 'ID: must be an evaluation id, a whole number such as 3')
const seedOption = z
  .string()
  .regex(/^-?\d+$/, '--seed: must be a whole number')
  .transform(Number)
  .refine(Number.isSafeInteger, '--seed: must be a whole number')

const userOptions = z.object({
  email: z
    .string({ error: 'give the account’s email address' })
    .trim()
    .pipe(z.email({ error: 'must be an email address, like name@example.org' })),
  name: z.string({ error: 'give the person’s name with --name' }).trim().min(1, 'give the person’s name with --name'),
  password: newPassword,
})

/** The password comes on standard input (one line), so it never appears in the shell history. */
async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password: ')
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '')
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

/** A JSON file other than an evaluation (the pairwise judgements of `ahp`); errors as `file: ...`. */
function readJson(path: string | undefined, missing: string): unknown {
  if (path === undefined) throw new CliError([missing, usage])
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new CliError([`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`])
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    throw new CliError([`file: is not valid JSON (${error instanceof Error ? error.message : String(error)})`])
  }
}

function option<T>(schema: z.ZodType<T>, value: string | undefined, exitCode = 1): T | undefined {
  if (value === undefined) return undefined
  const parsed = schema.safeParse(value)
  if (!parsed.success)
    throw new CliError(
      parsed.error.issues.map((i) => i.message),
      exitCode,
    )
  return parsed.data
}

function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`
}

/**
 * Checks the records of one evaluation (or every one) against the audit log, and on SQLite the
 * database file itself. Anything that stops the check is exit 2, never 1, so a script can tell
 * "the record was tampered with" from "the check did not run".
 */
async function verify(argument: string | undefined, json: boolean): Promise<Outcome> {
  const id = option(evaluationIdArgument, argument, VERIFY_CANNOT_CHECK)
  let location: string
  let auditKey: string | undefined
  try {
    const config = readConfig()
    location = databaseLocation(config)
    auditKey = config.AUDIT_KEY
  } catch (error) {
    throw new CliError((error as Error).message.split('\n'), VERIFY_CANNOT_CHECK)
  }
  // Opening a SQLite file that is not there would make an empty database, which would pass.
  if (!isPostgresUrl(location) && location !== ':memory:' && !existsSync(location)) {
    throw new CliError([`APPRAISAL_DB: there is no database file at ${location}; name the file to check`], VERIFY_CANNOT_CHECK)
  }
  let db: Awaited<ReturnType<typeof openDatabase>>
  try {
    db = await openDatabase(location, { auditKey })
  } catch (error) {
    throw new CliError([`appraise: ${error instanceof Error ? error.message : String(error)}`], VERIFY_CANNOT_CHECK)
  }
  try {
    const storage = await storageProblems(db)
    // One snapshot, so that a change the running app saves meanwhile is not taken for tampering.
    const checks: RecordCheck[] = await inReadSnapshot(db, async (trx) => {
      if (id === undefined) return verifyAll(trx)
      const known = await trx.selectFrom('evaluation').select('id').where('id', '=', id).executeTakeFirst()
      const logged = await trx.selectFrom('audit_entry').select('id').where('evaluation_id', '=', id).limit(1).executeTakeFirst()
      if (known === undefined && logged === undefined) throw new CliError([`ID: there is no evaluation ${id}`], VERIFY_CANNOT_CHECK)
      return [await verifyEvaluation(trx, id)]
    })
    const intact = storage.length === 0 && checks.every((check) => check.problems.length === 0)
    const output = json
      ? JSON.stringify({ intact, database: describeLocation(location), storageProblems: storage, evaluations: checks }, null, 2)
      : describeChecks(describeLocation(location), isPostgresUrl(location), storage, checks)
    return { output, exitCode: intact ? VERIFY_INTACT : VERIFY_PROBLEMS }
  } catch (error) {
    if (error instanceof CliError) throw error
    throw new CliError([`appraise: the check could not finish: ${error instanceof Error ? error.message : String(error)}`], VERIFY_CANNOT_CHECK)
  } finally {
    await db.destroy()
  }
}

/** The outcome for people: the file's own check (SQLite), one block per evaluation, and a summary line. */
function describeChecks(database: string, postgres: boolean, storage: string[], checks: RecordCheck[]): string {
  const lines: string[] = []
  if (!postgres) {
    if (storage.length === 0) lines.push(`${database}: integrity check passed`)
    else lines.push(`${database}: fails SQLite’s integrity check`, ...storage.map((problem) => `  ${problem}`))
  }
  for (const check of checks) {
    const name = `Evaluation ${check.evaluationId} “${check.title}”`
    if (check.problems.length === 0) {
      lines.push(`${name}: intact — ${plural(check.entries, 'entry', 'entries')}, head hash ${check.headHash ?? 'none'}`)
    } else {
      lines.push(`${name}: ${plural(check.problems.length, 'problem', 'problems')}`, ...check.problems.map((problem) => `  ${problem}`))
    }
  }
  const failing = checks.filter((check) => check.problems.length > 0)
  if (failing.length === 0 && storage.length === 0) {
    if (checks.length === 0) lines.push('There are no evaluations in the database to check.')
    else if (checks.length === 1) lines.push('The evaluation’s records match its audit log.')
    else lines.push(`All ${formatCount(checks.length)} evaluations’ records match their audit logs.`)
  } else {
    const found: string[] = []
    if (failing.length > 0) {
      const problems = plural(
        failing.reduce((sum, check) => sum + check.problems.length, 0),
        'problem',
        'problems',
      )
      found.push(
        checks.length === 1
          ? `${problems} in evaluation ${checks[0]!.evaluationId}`
          : `${problems} in ${formatCount(failing.length)} of ${plural(checks.length, 'evaluation', 'evaluations')}`,
      )
    }
    if (storage.length > 0) found.push(`a database file that fails SQLite’s integrity check`)
    const what = failing.length > 0 ? 'The records have been changed outside the app' : 'The database file is damaged'
    lines.push(`Found ${found.join(', and ')}. ${what}: keep a copy of the database as it is now, as evidence, and restore the last good backup.`)
  }
  return lines.join('\n')
}

/** The database the environment names, with its audit key. */
function openConfiguredDatabase() {
  const config = readConfig()
  return openDatabase(databaseLocation(config), { auditKey: config.AUDIT_KEY })
}

/** Reads the command line; a malformed one is a usage error (exit 2 for verify, which keeps 1 for "problems found"). */
function parseCommandLine(argv: string[]) {
  try {
    return parseCommandLineStrictly(argv)
  } catch (error) {
    if (!String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS')) throw error
    const command = argv.find((arg) => !arg.startsWith('-'))
    throw new CliError([`appraise: ${(error as Error).message}`], command === 'verify' ? VERIFY_CANNOT_CHECK : 1)
  }
}

function parseCommandLineStrictly(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      sensitivity: { type: 'boolean', default: false },
      iterations: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      option: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      name: { type: 'string' },
      admin: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  })
}

async function run(argv: string[]): Promise<string | Outcome> {
  const { values, positionals } = parseCommandLine(argv)
  const [command, argument] = positionals
  if (values.help === true || command === undefined) return usage

  switch (command) {
    case 'results': {
      const iterations = option(iterationsOption, values.iterations)
      const seed = option(seedOption, values.seed)
      const file = readEvaluation(argument)
      const results =
        values.sensitivity === true
          ? computeResultsWithSensitivity(file, { ...(iterations !== undefined ? { iterations } : {}), ...(seed !== undefined ? { seed } : {}) })
          : computeResults(file)
      return JSON.stringify(results, null, 2)
    }
    case 'report': {
      if (values.out === undefined || values.out === '') throw new CliError(['--out: name the PDF file to write, for example --out report.pdf', usage])
      const file = readEvaluation(argument)
      const bytes = readFileSync(argument!)
      // The file's last change dates the report, so the same file always gives the same PDF.
      const model = prepareModel(file)
      const pdf = await renderReport(
        file,
        resultsWithSensitivityFromModel(model),
        { status: 'draft', generatedAt: statSync(argument!).mtime, fileSha256: createHash('sha256').update(bytes).digest('hex') },
        model,
      )
      try {
        writeFileSync(values.out, pdf)
      } catch (error) {
        throw new CliError([`--out: ${values.out} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`])
      }
      return values.out
    }
    case 'summary': {
      if (values.option === undefined || values.option === '') {
        throw new CliError(['--option: name the tender the summary is for, by its id in the file’s options, for example --option product-a', usage])
      }
      if (values.out === undefined || values.out === '') throw new CliError(['--out: name the PDF file to write, for example --out summary.pdf', usage])
      const file = readEvaluation(argument)
      const results = computeResults(file)
      const problem = assessmentSummaryProblem(file, results, values.option)
      if (problem !== null) throw new CliError([`--option: ${problem}`])
      // A draft is dated by the file's last change, so the same file always gives the same PDF.
      const pdf = await renderAssessmentSummary(file, results, values.option, { generatedAt: statSync(argument!).mtime })
      try {
        writeFileSync(values.out, pdf)
      } catch (error) {
        throw new CliError([`--out: ${values.out} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`])
      }
      return values.out
    }
    case 'plan': {
      if (values.out === undefined || values.out === '') throw new CliError(['--out: name the PDF file to write, for example --out plan.pdf', usage])
      const file = readEvaluation(argument)
      // Dated by the plan's approval or last change; a draft by the file's last change.
      const pdf = await renderPlanDocument(file, { generatedAt: planDate(file) ?? statSync(argument!).mtime })
      try {
        writeFileSync(values.out, pdf)
      } catch (error) {
        throw new CliError([`--out: ${values.out} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`])
      }
      return values.out
    }
    case 'ocds': {
      const file = readEvaluation(argument)
      const results = computeResults(file)
      const problem = ocdsProblem(file, results)
      if (problem !== null) throw new CliError([problem])
      return JSON.stringify(ocdsReleasePackage(file, results, { publishedAt: statSync(argument!).mtime }), null, 2)
    }
    case 'ahp': {
      const weighed = weighPairwiseInput(readJson(argument, 'Name the file of pairwise judgements.'))
      if (!weighed.ok) throw new CliError(weighed.errors)
      return JSON.stringify(weighed.output, null, 2)
    }
    case 'import': {
      const file = readEvaluation(argument)
      const unstored = partsNotStored(file)
      if (unstored.length > 0) throw new CliError(unstored)
      const db = await openConfiguredDatabase()
      try {
        return String(
          await importEvaluationFile(db, file, { actor: COMMAND_LINE, summary: `Evaluation “${file.title}” imported from ${argument} on the command line` }),
        )
      } finally {
        await db.destroy()
      }
    }
    case 'export': {
      const id = option(evaluationIdArgument, argument)
      if (id === undefined) throw new CliError(['Name the evaluation id.', usage])
      const db = await openConfiguredDatabase()
      try {
        const file = await readEvaluationFile(db, id)
        if (file === undefined) throw new CliError([`ID: there is no evaluation ${id}`])
        return evaluationFileText(file).trimEnd()
      } finally {
        await db.destroy()
      }
    }
    case 'user': {
      if (argument !== 'add') throw new CliError([`Unknown command "user ${argument ?? ''}": use "user add".`, usage])
      const parsed = userOptions.safeParse({ email: positionals[2], name: values.name, password: await readStdin() })
      if (!parsed.success) throw new CliError(parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`))
      const db = await openConfiguredDatabase()
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
        const config = readConfig()
        return await backupDatabase(databaseLocation(config), argument, config.AUDIT_KEY)
      } catch (error) {
        if (error instanceof BackupError) throw new CliError(error.message.split('\n'))
        throw error
      }
    }
    case 'verify':
      return verify(argument, values.json === true)
    default:
      throw new CliError([`Unknown command "${command}".`, usage])
  }
}

run(process.argv.slice(2)).then(
  (outcome) => {
    const { output, exitCode } = typeof outcome === 'string' ? { output: outcome, exitCode: 0 } : outcome
    process.stdout.write(`${output}\n`)
    process.exitCode = exitCode
  },
  (error: unknown) => {
    if (error instanceof CliError) process.stderr.write(`${error.lines.join('\n')}\n`)
    else if (error instanceof FigureOutOfRangeError) process.stderr.write(`${error.message}\n`)
    else process.stderr.write(`appraise: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = error instanceof CliError ? error.exitCode : 1
  },
)
