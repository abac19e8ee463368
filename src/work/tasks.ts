// The long work that runs in the worker threads (src/work/pool.ts): each task is a function of what
// it is sent, with no HTTP. Most are pure; the draft report and the record check read the database
// over the worker's own read-only connection (src/work/database.ts), and so does the sensitivity page.

import {
  computeResults,
  computeResultsWithSensitivity,
  parseEvaluationText,
  prepareModel,
  resultsWithSensitivityFromModel,
  type EvaluationFile,
  type SensitivityOptions,
} from '../appraisal/index.js'
import { readEvaluationFile } from '../db/evaluation-file.js'
import { type SensitivityRequest, sensitivityView } from '../routes/sensitivity-view.js'
import { renderReport, type ReportOptions } from '../report/index.js'
import { renderAssessmentSummary } from '../report/assessment-summary.js'
import { readMoneyLinesCsv, readMoneyLinesXlsx } from '../routes/cost-lines-csv.js'
import type { Option } from '../db/schema.js'
import { checkRecordNow } from '../db/verify.js'
import { readDraftReport } from '../report/draft.js'
import { type DatabaseSource, workerDatabase } from './database.js'

export const tasks = {
  /** The report's PDF, with the engine's results and sensitivity computed here too. */
  async report({ file, options }: { file: EvaluationFile; options: ReportOptions }): Promise<Uint8Array<ArrayBuffer>> {
    const model = prepareModel(file)
    const pdf = await renderReport(file, resultsWithSensitivityFromModel(model), options, model)
    return new Uint8Array(pdf)
  },
  /** The assessment summaries of the tenders `optionIds`, in that order (src/report/assessment-summary.ts). */
  async summaries({ file, optionIds, generatedAt }: { file: EvaluationFile; optionIds: string[]; generatedAt: Date }): Promise<Uint8Array<ArrayBuffer>[]> {
    const results = computeResults(file)
    const pdfs: Uint8Array<ArrayBuffer>[] = []
    for (const id of optionIds) pdfs.push(new Uint8Array(await renderAssessmentSummary(file, results, id, { generatedAt })))
    return pdfs
  },
  /** The draft report of an evaluation, read from the database by this thread (see readDraftReport). */
  async draftReport({ source, evaluationId }: { source: DatabaseSource; evaluationId: number }): Promise<Uint8Array<ArrayBuffer> | 'missing' | 'empty'> {
    const read = await readDraftReport(workerDatabase(source), evaluationId)
    return typeof read === 'string' ? read : tasks.report(read)
  },
  /** The record check of an evaluation, read from the database by this thread (see checkRecordNow). */
  recordCheck({ source, evaluationId }: { source: DatabaseSource; evaluationId: number }) {
    return checkRecordNow(workerDatabase(source), evaluationId)
  },
  /** The results with switching values and the Monte Carlo analysis. */
  sensitivity({ file, options }: { file: EvaluationFile; options?: SensitivityOptions }) {
    return computeResultsWithSensitivity(file, options)
  },
  /** The sensitivity page's figures from a file sent by the request thread (an in-memory database's). */
  sensitivityView({ file, request }: { file: EvaluationFile; request: SensitivityRequest }) {
    return sensitivityView(file, request)
  },
  /** The same, the evaluation read from the database by this thread: the request thread never holds its scores. */
  async sensitivityPage({ source, evaluationId, request }: { source: DatabaseSource; evaluationId: number; request: SensitivityRequest }) {
    const file = await readEvaluationFile(workerDatabase(source), evaluationId, { individualTexts: false })
    if (file === undefined) return 'missing' as const
    if (file.options.length === 0 || file.criteria.length === 0) return 'empty' as const
    return sensitivityView(file, request)
  },
  /** An uploaded evaluation file, parsed and checked against the one schema. */
  parseEvaluation({ text }: { text: string }) {
    return parseEvaluationText(text)
  },
  /** An uploaded CSV of cost, benefit and sunk cost lines, read and checked row by row. */
  readMoneyLinesCsv({ text, options, baseYear }: { text: string; options: Option[]; baseYear: number }) {
    return readMoneyLinesCsv(text, options, baseYear)
  },
  /** An uploaded Excel workbook of the same lines, unpacked, read and checked row by row. */
  readMoneyLinesXlsx({ bytes, options, baseYear }: { bytes: Uint8Array; options: Option[]; baseYear: number }) {
    return readMoneyLinesXlsx(bytes, options, baseYear)
  },
}

export type Tasks = typeof tasks
export type TaskName = keyof Tasks
