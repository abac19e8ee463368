import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AppDeps } from '../app.js'
import { accountOf, actorOf } from '../auth/guard.js'
import { evaluationFileText } from '../appraisal/index.js'
import { importEvaluationFile, partsNotStored, readEvaluationFile } from '../db/evaluation-file.js'
import { ImportPage } from '../../views/pages/import.js'
import { pathId } from './evaluation-context.js'
import { render } from './render.js'
import { runLong } from '../work/long-work.js'
import { fileSlug } from '../file-slug.js'

/** Files are refused above this size: far larger than a 300-criterion, 15-evaluator evaluation. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024

export function fileName(title: string): string {
  return `${fileSlug(title) || 'evaluation'}.json`
}

/** Import (upload) and export (download) of the evaluation file. */
export function fileRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  app.get('/import', (c) => render(c, <ImportPage errors={[]} />))

  app.post('/import', async (c) => {
    const body = await c.req.parseBody()
    const upload = body.file
    if (!(upload instanceof File) || upload.size === 0) {
      return render(c, <ImportPage errors={['file: choose an evaluation file to import']} />, 422)
    }
    if (upload.size > MAX_IMPORT_BYTES) {
      return render(c, <ImportPage fileName={upload.name} errors={[`file: is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`]} />, 422)
    }
    const parsed = await runLong(c, 'parseEvaluation', { text: await upload.text() })
    if (!parsed.ok) return render(c, <ImportPage fileName={upload.name} errors={parsed.errors} />, 422)
    const unstored = partsNotStored(parsed.file)
    if (unstored.length > 0) return render(c, <ImportPage fileName={upload.name} errors={unstored} />, 422)
    const id = await importEvaluationFile(db, parsed.file, {
      actor: actorOf(c),
      leadAccountId: accountOf(c).id,
      summary: `Evaluation “${parsed.file.title}” imported from the file ${upload.name}`,
    })
    return c.redirect(`/evaluations/${id}`, 303)
  })

  app.get('/:id/export', async (c) => {
    const file = await readEvaluationFile(db, pathId(c, 'id'))
    if (file === undefined) throw new HTTPException(404)
    return c.body(evaluationFileText(file), 200, {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="${fileName(file.title)}"`,
    })
  })

  return app
}
