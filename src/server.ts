import { serve } from '@hono/node-server'
import { createApp } from './app.js'
import { readConfig } from './config.js'
import { loadTemplates } from './criteria-templates.js'
import { openDatabase } from './db/open.js'
import { describeFirstRun, prepareFirstRun } from './first-run.js'

// The only file that listens: reads the environment, opens and migrates the database, seeds the demo
// on first run, and serves. Any problem on the way stops start-up with a message, not a stack trace.
async function main(): Promise<void> {
  const config = readConfig()
  const templates = loadTemplates()
  const db = await openDatabase(config.APPRAISAL_DB)
  const firstRun = describeFirstRun(await prepareFirstRun(db, templates))
  if (firstRun !== '') console.log(firstRun)
  const app = createApp({ db, templates })
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    console.log(`Database: ${config.APPRAISAL_DB}`)
    console.log(`Options appraisal is running at http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${info.port}/`)
  })
  const stop = () => {
    server.close()
    void db.destroy().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
