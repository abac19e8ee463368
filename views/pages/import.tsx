import { Layout } from '../layout.js'

export function ImportPage({ errors, fileName }: { errors: string[]; fileName?: string | undefined }) {
  return (
    <Layout title="Import an evaluation file" crumbs={[{ href: '/evaluations', label: 'Evaluations' }]}>
      <h1>Import an evaluation file</h1>
      <p>
        An evaluation file (<code>options-appraisal/1</code>, JSON) holds a whole evaluation: options, criteria and weights, the panel’s scores and consensus,
        costs, benefits and sunk costs. Importing creates a new evaluation; nothing existing is changed. A file with any problem is refused whole.
      </p>
      {errors.length > 0 && (
        <div class="error-summary" role="alert" tabindex={-1} aria-labelledby="error-summary-title">
          <h2 id="error-summary-title" class="error-summary__title">
            {fileName !== undefined ? `${fileName} was not imported` : 'The file was not imported'}
          </h2>
          <p>
            {errors.length === 1 ? 'There is 1 problem' : `There are ${errors.length} problems`}, each shown with where it is in the file. Nothing was saved.
          </p>
          <ul class="error-summary__list">
            {errors.slice(0, 500).map((e) => (
              <li>
                <a href="#f-file">{e}</a>
              </li>
            ))}
          </ul>
          {errors.length > 500 && <p>…and {errors.length - 500} more.</p>}
        </div>
      )}
      <form method="post" action="/evaluations/import" enctype="multipart/form-data">
        <div class={errors.length > 0 ? 'form-group form-group--error' : 'form-group'}>
          <label class="label" for="f-file">
            Evaluation file
          </label>
          <div class="hint" id="f-file-hint">
            A .json file exported from this tool or written to the published format.
          </div>
          <input class="input" id="f-file" name="file" type="file" accept=".json,application/json" aria-describedby="f-file-hint" />
        </div>
        <button class="button" type="submit">
          Import
        </button>
      </form>
    </Layout>
  )
}
