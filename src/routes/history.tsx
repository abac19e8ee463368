import type { Context } from 'hono'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import type { AppDeps } from '../app.js'
import { evaluationOf } from '../auth/guard.js'
import {
  CHANGE_KINDS,
  accountNames,
  changedFields,
  countChangesByTable,
  countEntryChanges,
  countHistoryEntries,
  listEntryChanges,
  listHistoryActors,
  listHistoryEntries,
  listScoreHistory,
  loggedNames,
  recordValues,
  type FieldChange,
  type HistoryFilter,
  type Person,
} from '../db/audit-history.js'
import type { Db } from '../db/connection.js'
import { fieldInWords } from '../db/audit-words.js'
import { listCriteria } from '../db/criteria.js'
import { listOptions } from '../db/options.js'
import { listPanelMembers } from '../db/panel.js'
import type { AuditChange, Evaluation } from '../db/schema.js'
import { criterionIdsIn, HistoryPage, ScoreHistoryPage, type HistoryEntryView, type HistoryNames, type RecordChangeView } from '../../views/pages/history.js'
import { evaluationCrumbs, pathId } from './evaluation-context.js'
import { idParam } from './form.js'
import { render } from './render.js'
import type { DocumentReader } from '../db/tender.js'
import { documentLinks } from './document-links.js'

const PAGE_SIZE = 50
/** An entry that changed more records than this (an import, say) shows a count of each kind, not each record. */
const LISTED_CHANGES = 20
/** The largest id PostgreSQL's integer columns hold: a larger one in the address matches nothing. */
const LARGEST_ID = 2_147_483_647

const personField = z.string().regex(/^(account:\d{1,10}|name:[^\n]{1,200})$/)
const kindField = z.enum(CHANGE_KINDS)
const pageField = z.coerce.number().int().min(1)

/** A person filter's value in the form: an account, or a name the log gives without one. */
function personValue(person: Person): string {
  return person.accountId === null ? `name:${person.name}` : `account:${person.accountId}`
}

/**
 * The history's filters as they came in the address. A value that is not one the form offers is left
 * out with a message, so a mistyped or stale link still shows the history.
 */
function readFilters(c: Context, known: { people: Set<string>; optionIds: Set<number> }) {
  const notices: string[] = []
  const given = (name: string) => {
    const value = c.req.query(name)
    return value === undefined || value.trim() === '' ? undefined : value.trim()
  }
  const filter: HistoryFilter = {}
  const chosen: { person?: string; kind?: string; option?: number } = {}

  const person = given('person')
  if (person !== undefined) {
    const parsed = personField.safeParse(person)
    if (parsed.success && known.people.has(parsed.data)) {
      chosen.person = parsed.data
      filter.person = parsed.data.startsWith('account:')
        ? { accountId: Number(parsed.data.slice('account:'.length)) }
        : { accountId: null, name: parsed.data.slice('name:'.length) }
    } else notices.push('The person chosen has made no change to this evaluation, so changes by everyone are shown.')
  }
  const kind = given('kind')
  if (kind !== undefined) {
    const parsed = kindField.safeParse(kind)
    if (parsed.success) {
      chosen.kind = parsed.data
      filter.kind = parsed.data
    } else notices.push('That kind of change is not one this page knows, so every kind is shown.')
  }
  const option = given('option')
  if (option !== undefined) {
    const parsed = idParam.safeParse(option)
    if (parsed.success && known.optionIds.has(parsed.data)) {
      chosen.option = parsed.data
      filter.optionId = parsed.data
    } else notices.push('The option chosen is not one of this evaluation’s, so changes to every option are shown.')
  }
  const pageText = given('page')
  let page = 1
  if (pageText !== undefined) {
    const parsed = pageField.safeParse(pageText)
    if (parsed.success) page = parsed.data
    else notices.push('The page number was not understood, so the first page is shown.')
  }
  return { filter, chosen, page, notices }
}

/**
 * Names for what the changes refer to: the tables' own, and for records since removed, the log's.
 */
async function namesFor(
  db: Db,
  evaluationId: number,
  reader: DocumentReader,
  changes: readonly {
    table?: string
    optionId: number | null
    criterionId: number | null
    memberId: number | null
    values: Record<string, unknown>
    fields?: readonly FieldChange[]
  }[],
): Promise<HistoryNames> {
  const [options, criteria, members, documents] = await Promise.all([
    listOptions(db, evaluationId),
    listCriteria(db, evaluationId),
    listPanelMembers(db, evaluationId),
    documentLinks(db, evaluationId, reader),
  ])
  const names: HistoryNames = {
    options: new Map(options.map((o) => [o.id, o.name])),
    criteria: new Map(criteria.map((x) => [x.id, x.name])),
    criterionKinds: new Map(criteria.map((x) => [x.id, x.kind])),
    members: new Map(members.map((m) => [m.id, m.name])),
    accounts: new Map(),
    documents,
  }
  const wanted = { option: new Set<number>(), criterion: new Set<number>(), panel_member: new Set<number>(), account: new Set<number>() }
  const want = (set: Set<number>, known: Map<number, string>, id: unknown) => {
    if (typeof id === 'number' && Number.isInteger(id) && id > 0 && id <= LARGEST_ID && !known.has(id)) set.add(id)
  }
  for (const change of changes) {
    want(wanted.option, names.options, change.optionId)
    want(wanted.criterion, names.criteria, change.criterionId)
    want(wanted.criterion, names.criteria, change.values.parent_id)
    want(wanted.panel_member, names.members, change.memberId)
    want(wanted.account, names.accounts, change.values.account_id)
    want(wanted.account, names.accounts, change.values.finalised_by_account_id)
    // Lists of criteria and pairwise judgements name criteria by id, before and after.
    const table = change.table
    for (const field of table === undefined ? [] : (change.fields ?? [])) {
      const reads = fieldInWords(table!, field.column).reads
      if (reads !== 'criteria' && reads !== 'judgements') continue
      for (const id of [...criterionIdsIn(reads, field.before), ...criterionIdsIn(reads, field.after)]) want(wanted.criterion, names.criteria, id)
    }
  }
  const [loggedOptions, loggedCriteria, loggedMembers, accounts] = await Promise.all([
    loggedNames(db, evaluationId, 'option', [...wanted.option]),
    loggedNames(db, evaluationId, 'criterion', [...wanted.criterion]),
    loggedNames(db, evaluationId, 'panel_member', [...wanted.panel_member]),
    accountNames(db, [...wanted.account]),
  ])
  for (const [id, name] of loggedOptions) names.options.set(id, name)
  for (const [id, name] of loggedCriteria) names.criteria.set(id, name)
  for (const [id, name] of loggedMembers) names.members.set(id, name)
  names.accounts = accounts
  return names
}

/** Who reads the history, as the rule for opening documents sees them: their roles (history is not an evaluator's page). */
function readerOf(c: Context, evaluation: Evaluation): DocumentReader {
  return { roles: c.get('roles'), planApproved: evaluation.plan_version > 0, openOptions: null }
}

function changeView(change: AuditChange): RecordChangeView {
  return {
    table: change.record_table,
    recordId: change.record_id,
    optionId: change.option_id,
    criterionId: change.criterion_id,
    memberId: change.panel_member_id,
    status: change.before === null ? 'added' : change.after === null ? 'removed' : 'changed',
    values: recordValues(change.after ?? change.before),
    fields: changedFields(change.before, change.after),
  }
}

export function historyRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  app.get('/', async (c) => {
    const evaluation = evaluationOf(c)
    const [actors, options] = await Promise.all([listHistoryActors(db, evaluation.id), listOptions(db, evaluation.id)])
    const people = actors.map((a) => ({
      value: personValue(a.accountId === null ? { accountId: null, name: a.name } : { accountId: a.accountId }),
      label: a.name,
    }))
    const {
      filter,
      chosen,
      page: asked,
      notices,
    } = readFilters(c, { people: new Set(people.map((p) => p.value)), optionIds: new Set(options.map((o) => o.id)) })

    const total = await countHistoryEntries(db, evaluation.id, filter)
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
    if (asked > pages) notices.push(`There ${pages === 1 ? 'is only 1 page' : `are only ${pages} pages`} of changes, so the last is shown.`)
    const page = Math.min(asked, pages)
    const entries = await listHistoryEntries(db, evaluation.id, filter, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE })

    // Small entries list each record; large ones (an import) are counted, never read record by record.
    const totals = await countEntryChanges(
      db,
      entries.map((e) => e.id),
    )
    const large = entries.filter((e) => (totals.get(e.id) ?? 0) > LISTED_CHANGES).map((e) => e.id)
    const [counts, listed] = await Promise.all([
      countChangesByTable(db, large),
      listEntryChanges(
        db,
        entries.filter((e) => !large.includes(e.id)).map((e) => e.id),
      ),
    ])
    const changes = new Map<number, RecordChangeView[]>()
    for (const change of listed) {
      const list = changes.get(change.entry_id) ?? []
      list.push(changeView(change))
      changes.set(change.entry_id, list)
    }
    const views: HistoryEntryView[] = entries.map((entry) => ({
      entry,
      total: totals.get(entry.id) ?? 0,
      changes: large.includes(entry.id) ? null : (changes.get(entry.id) ?? []),
      counts: counts.filter((count) => count.entryId === entry.id),
    }))
    const names = await namesFor(db, evaluation.id, readerOf(c, evaluation), [...changes.values()].flat())
    return render(
      c,
      <HistoryPage
        evaluation={evaluation}
        crumbs={evaluationCrumbs(evaluation)}
        people={people}
        options={options}
        chosen={chosen}
        notices={notices}
        entries={views}
        names={names}
        total={total}
        page={page}
        pages={pages}
        pageSize={PAGE_SIZE}
      />,
    )
  })

  app.get('/scores/:optionId/:criterionId', async (c) => {
    const evaluation = evaluationOf(c)
    const optionId = pathId(c, 'optionId')
    const criterionId = pathId(c, 'criterionId')
    if (optionId > LARGEST_ID || criterionId > LARGEST_ID) throw new HTTPException(404)
    const changes = await listScoreHistory(db, evaluation.id, optionId, criterionId)
    const names = await namesFor(db, evaluation.id, readerOf(c, evaluation), [
      { optionId, criterionId, memberId: null, values: {} },
      ...changes.map((change) => ({ optionId, criterionId, memberId: change.memberId, values: {} })),
    ])
    const optionName = names.options.get(optionId)
    const criterionName = names.criteria.get(criterionId)
    // An option or criterion this evaluation has never had, now or in its log.
    if (optionName === undefined || criterionName === undefined) throw new HTTPException(404)
    const kind = names.criterionKinds.get(criterionId) ?? null
    if (kind === 'group') throw new HTTPException(404)
    return render(
      c,
      <ScoreHistoryPage
        evaluation={evaluation}
        crumbs={evaluationCrumbs(evaluation)}
        optionId={optionId}
        optionName={optionName}
        criterionName={criterionName}
        gate={kind === 'gate'}
        changes={changes}
        names={names}
      />,
    )
  })

  return app
}
