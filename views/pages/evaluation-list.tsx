import type { Evaluation } from '../../src/db/schema.js'
import { formatDateTime } from '../../src/format.js'
import type { EvaluationTasks } from '../../src/routes/my-tasks.js'
import { Layout } from '../layout.js'
import { roleLabels } from './panel.js'

/** What is waiting for the person on each evaluation, each task one click from its work. */
function MyTasks({ tasks }: { tasks: EvaluationTasks[] }) {
  const count = tasks.reduce((sum, t) => sum + t.tasks.length, 0)
  return (
    <section aria-labelledby="my-tasks" class="my-tasks">
      <h1 id="my-tasks">My tasks</h1>
      <p class="lead">{count === 0 ? 'Nothing is waiting for you.' : `${count} ${count === 1 ? 'thing is' : 'things are'} waiting for you.`}</p>
      {tasks.map((e) => (
        <section class="my-tasks__evaluation" aria-labelledby={`tasks-${e.evaluation.id}`}>
          <h2 class="my-tasks__title" id={`tasks-${e.evaluation.id}`}>
            <a href={`/evaluations/${e.evaluation.id}`}>{e.evaluation.title}</a>
            <span class="my-tasks__roles">{e.roles.map((role) => roleLabels[role].name).join(', ')}</span>
          </h2>
          {e.tasks.length > 0 && (
            <ul class="my-tasks__list">
              {e.tasks.map((task) => (
                <li>
                  <a href={task.href}>{task.text}</a>
                </li>
              ))}
            </ul>
          )}
          {e.waiting.map((note) => (
            <p class="hint">{note}</p>
          ))}
          {e.tasks.length === 0 && e.waiting.length === 0 && <p class="hint">Nothing is waiting for you here.</p>}
        </section>
      ))}
    </section>
  )
}

export function EvaluationListPage({ evaluations, archived, tasks = [] }: { evaluations: Evaluation[]; archived: boolean; tasks?: EvaluationTasks[] }) {
  const title = archived ? 'Archived evaluations' : 'Evaluations'
  // Anyone with a role lands on their tasks; starting an evaluation is then a secondary action.
  const withTasks = !archived && tasks.length > 0
  const Heading = withTasks ? 'h2' : 'h1'
  return (
    <Layout title={withTasks ? 'My tasks' : title}>
      {withTasks && <MyTasks tasks={tasks} />}
      <Heading>{title}</Heading>
      <p class="button-group">
        <a class={withTasks ? 'button button--secondary' : 'button'} href="/evaluations/new">
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
