import type { Evaluation } from '../../src/db/schema.js'
import { formatDateTime } from '../../src/format.js'
import { Layout } from '../layout.js'

export function EvaluationListPage({ evaluations, archived }: { evaluations: Evaluation[]; archived: boolean }) {
  const title = archived ? 'Archived evaluations' : 'Evaluations'
  return (
    <Layout title={title}>
      <h1>{title}</h1>
      <p class="button-group">
        <a class="button" href="/evaluations/new">
          Start a new evaluation
        </a>
        <a class="button button--secondary" href="/evaluations/import">
          Import an evaluation file
        </a>
      </p>
      {evaluations.length === 0 ? (
        <p>{archived ? 'No evaluation has been archived.' : 'There are no evaluations yet.'}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Organisation</th>
              <th scope="col">Last changed</th>
            </tr>
          </thead>
          <tbody>
            {evaluations.map((e) => (
              <tr>
                <td>
                  <a href={`/evaluations/${e.id}`}>{e.title}</a>
                </td>
                <td>{e.organisation ?? ''}</td>
                <td>
                  <time datetime={e.updated_at}>{formatDateTime(e.updated_at)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>{archived ? <a href="/evaluations">Show current evaluations</a> : <a href="/evaluations?archived=1">Show archived evaluations</a>}</p>
    </Layout>
  )
}
