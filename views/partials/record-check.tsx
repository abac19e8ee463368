import type { RecordCheck } from '../../src/db/verify.js'
import { formatCount, formatDateTime } from '../../src/format.js'

export interface RecordCheckProps {
  evaluationId: number
  check: RecordCheck
  /** The last entry in the evaluation's audit log; undefined when it has none. */
  last: { at: string; actorName: string } | undefined
  /**
   * Whether to list the problems: they name panel members' scores, which finance and observers see
   * only once moderation is complete. Until then they see that there are problems, not what.
   */
  detailed: boolean
}

/**
 * The evaluation's page checks its record as it opens when it holds at most this many scores: the
 * check replays every record, about 0.4 s of the server's time at 20,000 scores and 1.8 s at 90,000.
 * A larger one offers the check as a link.
 */
export const CHECK_ON_OPEN_LIMIT = 20_000

/** At most this many problems are listed on a page; `appraise verify ID` lists every one. */
export const PROBLEMS_SHOWN = 50

/**
 * Whether the evaluation's records still match its audit log: a calm panel when they do, an alert
 * listing each record that differs when they do not. The evaluation's page loads it with htmx; its
 * own page (`/evaluations/:id/record-check`) shows it without JavaScript.
 */
export function RecordCheckPanel({ evaluationId, check, last, detailed }: RecordCheckProps) {
  if (check.problems.length === 0) {
    const entries = `${formatCount(check.entries)} ${check.entries === 1 ? 'entry' : 'entries'}`
    return (
      <div class="notice notice--success record-check" id="record-check-outcome">
        <h2 class="record-check__title">Record check: intact</h2>
        <p>
          The records match the audit log: {entries}
          {last !== undefined && (
            <>
              , the last at <time datetime={last.at}>{formatDateTime(last.at)}</time> by {last.actorName}
            </>
          )}
          {check.headHash !== null && (
            <>
              ; chain head <code class="hash">{check.headHash.slice(0, 12)}…</code>
            </>
          )}
          .
        </p>
      </div>
    )
  }
  const shown = detailed ? check.problems.slice(0, PROBLEMS_SHOWN) : []
  const more = check.problems.length - shown.length
  return (
    <div class="notice notice--warning record-check" id="record-check-outcome" role="alert" aria-labelledby="record-check-title">
      <h2 class="record-check__title" id="record-check-title">
        The record has been changed outside the app
      </h2>
      <p>
        {check.problems.length === 1
          ? 'One thing in the database no longer matches'
          : `${formatCount(check.problems.length)} things in the database no longer match`}{' '}
        the audit log, so the figures on these pages cannot be relied on. Make no more changes: keep a copy of the database as it is now, as evidence, and
        restore the last good backup.
      </p>
      {detailed ? (
        <ul class="record-check__problems">
          {shown.map((problem) => (
            <li>{problem}</li>
          ))}
        </ul>
      ) : (
        <p>The lead can see which records they are; the list names panel members’ scores, which stay blind until moderation is complete.</p>
      )}
      {detailed && more > 0 && (
        <p>
          And {formatCount(more)} more: <code>appraise verify {evaluationId}</code> lists every one.
        </p>
      )}
    </div>
  )
}
