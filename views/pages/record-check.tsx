import type { Evaluation } from '../../src/db/schema.js'
import { Layout } from '../layout.js'
import { RecordCheckPanel, type RecordCheckProps } from '../partials/record-check.js'

export interface RecordCheckPageProps extends RecordCheckProps {
  evaluation: Pick<Evaluation, 'id' | 'title'>
}

/** The record check on a page of its own: the panel, what it checks, and the full chain head. */
export function RecordCheckPage({ evaluation, ...panel }: RecordCheckPageProps) {
  const base = `/evaluations/${evaluation.id}`
  return (
    <Layout
      title={`Record check: ${evaluation.title}`}
      crumbs={[
        { href: '/evaluations', label: 'Evaluations' },
        { href: base, label: evaluation.title },
      ]}>
      <span class="caption">{evaluation.title}</span>
      <h1>Record check</h1>
      <p>
        Every change to this evaluation is written to its audit log, each entry sealed with a SHA-256 hash of the one before. This check reads the log from the
        start, and compares what it says with every score, weight, cost and setting in the database now.
      </p>
      <RecordCheckPanel {...panel} />
      {panel.check.headHash !== null && (
        <p>
          The chain head, in full:{' '}
          <code class="hash" id="chain-head">
            {panel.check.headHash}
          </code>
          . Noted down outside the app, it shows later whether the log has been cut short or rewritten from its start, which would end it in a different hash.
        </p>
      )}
      <p>
        <a href={base}>Back to the evaluation</a>
      </p>
    </Layout>
  )
}
