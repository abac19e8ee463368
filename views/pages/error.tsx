import { Layout } from '../layout.js'

const titles: Record<number, string> = {
  400: 'The request could not be understood',
  403: 'You do not have access to this page',
  404: 'Page not found',
  409: 'This is not ready yet',
  413: 'What was sent is too large',
  429: 'You have too much in progress',
  500: 'Sorry, there is a problem with the service',
  503: 'The service is busy',
}

export function ErrorPage({ status, message, title: given }: { status: number; message?: string | undefined; title?: string }) {
  const title = given ?? titles[status] ?? 'Something went wrong'
  return (
    <Layout title={title}>
      <h1>{title}</h1>
      {status === 404 && <p>If you typed the web address, check it is correct. The item may have been removed.</p>}
      {message !== undefined && message !== '' && status !== 500 && <p>{message}</p>}
      {status === 500 && <p>Nothing you entered was saved. Try again later.</p>}
      <p>
        <a href="/evaluations">Go to the list of evaluations</a>
      </p>
    </Layout>
  )
}
