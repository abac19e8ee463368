import { serve } from '@hono/node-server'
import { createApp } from './app.js'
import { readConfig } from './config.js'
import { loadTemplates } from './criteria-templates.js'
import { describeLocation, runAlone } from './db/dialect.js'
import { databaseLocation, openDatabase } from './db/open.js'
import { describeFirstRun, prepareFirstRun } from './first-run.js'
import { createLogger } from './log.js'
import { auditKeyOf } from './db/audit-key.js'
import { sharedSource } from './work/database.js'
import { Sso, ssoSettings } from './auth/sso.js'
import { LongWork } from './work/pool.js'
import { trackMainThreadMemory } from './memory.js'

// The only file that listens: reads the environment, opens and migrates the database, seeds the demo
// on first run, and serves. Any problem on the way stops start-up with one plain line on standard
// error, not a stack trace. Once configured, everything else is the JSON log on standard output
// (src/log.ts), but for the first run's passwords, which are shown once to whoever started the app
// and never go into the log.
async function main(): Promise<void> {
  const config = readConfig()
  const log = createLogger(config.LOG_LEVEL)
  // A provider that cannot be used stops start-up here, before anything else: never a quiet fallback to passwords.
  const settings = ssoSettings(config)
  const sso = settings === null ? null : await Sso.connect(settings)
  const templates = loadTemplates()
  const location = databaseLocation(config)
  const db = await openDatabase(location, { auditKey: config.AUDIT_KEY })
  // Instances starting together on a new database must not each create the first accounts.
  const firstRun = describeFirstRun(await runAlone(db, 'first-run', (alone) => prepareFirstRun(alone, templates)))
  if (firstRun !== '') process.stdout.write(`${firstRun}\n`)
  // Reports, sensitivity and uploads' parsing run in worker threads, not on the request thread.
  // They open the database themselves to read a whole evaluation for a report or the record check.
  const work = new LongWork({ heapMb: config.WORK_HEAP_MB }, undefined, sharedSource(location, auditKeyOf(db)))
  // Before any job starts a worker thread: what the process holds now is the main thread's.
  const memory = trackMainThreadMemory()
  const app = createApp({ db, templates, trustProxy: config.TRUST_PROXY, work, log, sso, passwordSignIn: config.PASSWORD_SIGN_IN === 'on' })
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    log.info({ database: describeLocation(location) }, `Database: ${describeLocation(location)}`)
    if (sso !== null) log.info({ issuer: sso.settings.issuer, passwordSignIn: config.PASSWORD_SIGN_IN }, 'Single sign-on is on')
    log.info({ port: info.port }, `Options appraisal is running at http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${info.port}/`)
  })
  // Stop taking requests, let those in flight finish (their saves commit and are answered), then
  // stop the worker threads and close the database. A request that hangs does not keep the process
  // up for more than 10 s.
  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    log.info('Stopping: finishing the requests in flight')
    const exit = () =>
      void work
        .close()
        .catch(() => undefined)
        .then(() => db.destroy())
        .then(() => {
          // The peaks since start, the main thread's apart from the worker threads' (the benchmark reads this line).
          const { mainThreadMb, processMb } = memory.peaks()
          log.info({ memory: { mainThreadPeakMb: mainThreadMb, workersPeakMb: work.workersPeakMb, processPeakRssMb: processMb } }, 'Stopped')
          process.exit(0)
        })
    setTimeout(exit, 10_000).unref()
    server.close(exit)
    if ('closeIdleConnections' in server) server.closeIdleConnections()
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
