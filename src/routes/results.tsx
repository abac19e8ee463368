import { Hono } from 'hono'
import type { Evaluation } from '../db/schema.js'
import { HTTPException } from 'hono/http-exception'
import type { AppDeps } from '../app.js'
import { sealedResults } from '../auth/access.js'
import { evaluationOf } from '../auth/guard.js'
import { computeResultsFromTotals, weighCriteria } from '../appraisal/index.js'
import { readResultsInput } from '../db/evaluation-file.js'
import { listOptions } from '../db/options.js'
import { QualityOnlyResultsPage, ResultsPage } from '../../views/pages/results.js'
import { render } from './render.js'
import { resultsWorkbook, workbookResponse } from './cost-workbooks.js'

export function resultRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  async function resultsOf(evaluation: Evaluation) {
    // Each cell's consensus, or the sum and count of its individual scores: not every score.
    const input = await readResultsInput(db, evaluation.id)
    if (input === undefined) throw new HTTPException(404)
    const { file, totals } = input
    if (file.options.length === 0 || file.criteria.length === 0) {
      throw new HTTPException(409, { message: 'Add at least one option and one criterion to see results.' })
    }
    return { file, results: computeResultsFromTotals(file, totals) }
  }

  // The same figures as a workbook, one row an option, for finance's own analysis.
  app.get('/workbook.xlsx', async (c) => {
    const evaluation = evaluationOf(c)
    const { file, results } = await resultsOf(evaluation)
    return workbookResponse(c, await resultsWorkbook(results, file.currency), 'results.xlsx')
  })

  // Computed from the database on every request: there is no stored result to go stale.
  app.get('/', async (c) => {
    const evaluation = evaluationOf(c)
    const { file, results } = await resultsOf(evaluation)
    const criterionNames = new Map([...weighCriteria(file.criteria).byId.values()].map((n) => [n.id, n.name]))
    // While the lead moderates quality, price is sealed from them (decision 17): quality only.
    if (sealedResults(c.get('roles'), await c.get('moderating')())) {
      return render(c, <QualityOnlyResultsPage evaluation={evaluation} file={file} results={results} criterionNames={criterionNames} />)
    }
    const optionIds = new Map((await listOptions(db, evaluation.id)).map((o) => [o.key, o.id]))
    return render(c, <ResultsPage evaluation={evaluation} file={file} results={results} criterionNames={criterionNames} optionIds={optionIds} />)
  })

  return app
}
