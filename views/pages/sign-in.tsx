import { ErrorMessage, ErrorSummary, TextField, type FieldErrors, type FormValues } from '../components/form.js'
import { Layout } from '../layout.js'

export interface SignInOptions {
  /** Single sign-on, when the site has it: the provider's name for the button. */
  sso?: { name: string } | null
  /** Whether the email-and-password form is offered (PASSWORD_SIGN_IN). */
  passwordSignIn?: boolean
  /** Just signed out: offers the provider's end-session address, when there is one. */
  signedOut?: { endSessionUrl: string | null; providerName: string } | null
}

export function SignInPage({
  values,
  errors,
  next,
  sso = null,
  passwordSignIn = true,
  signedOut = null,
}: { values: FormValues; errors: FieldErrors; next: string } & SignInOptions) {
  const query = next === '' ? '' : `?next=${encodeURIComponent(next)}`
  return (
    <Layout title="Sign in">
      <h1>Sign in</h1>
      {signedOut !== null && (
        <div class="notice" role="status">
          <p>You have signed out of this app.</p>
          {signedOut.endSessionUrl !== null && (
            <p>
              <a href={signedOut.endSessionUrl}>Also sign out of {signedOut.providerName}</a> if this is a shared computer.
            </p>
          )}
        </div>
      )}
      <ErrorSummary errors={errors} fieldIds={{ form: passwordSignIn ? 'f-email' : 'sso-sign-in' }} />
      <ErrorMessage id="sign-in-error" error={errors.form} />
      {sso !== null && (
        <p>
          <a class="button" id="sso-sign-in" href={`/sign-in/sso${query}`}>
            Sign in with {sso.name}
          </a>
        </p>
      )}
      {passwordSignIn && (
        <>
          {sso !== null && <h2>Or sign in with a password</h2>}
          <form method="post" action={`/sign-in${query}`} novalidate>
            <TextField name="email" label="Email address" type="email" value={values.email} error={errors.email} autocomplete="username" />
            <TextField name="password" label="Password" type="password" error={errors.password} autocomplete="current-password" />
            <button class="button" type="submit">
              Sign in
            </button>
          </form>
          <p class="hint">Accounts are created by a site administrator. Ask yours if you need one or have forgotten your password.</p>
        </>
      )}
    </Layout>
  )
}

export function ChangePasswordPage({ errors, changed }: { errors: FieldErrors; changed: boolean }) {
  return (
    <Layout title="Change your password">
      <h1>Change your password</h1>
      {changed && (
        <div class="notice" role="status">
          Your password has been changed. Any other sessions you had open have been signed out.
        </div>
      )}
      <ErrorSummary errors={errors} />
      <form method="post" action="/account/password" novalidate>
        <TextField name="current" label="Current password" type="password" error={errors.current} autocomplete="current-password" />
        <TextField
          name="password"
          label="New password"
          type="password"
          error={errors.password}
          autocomplete="new-password"
          hint="At least 12 characters. A few unrelated words make a strong password that is easy to remember."
        />
        <TextField name="confirm" label="New password again" type="password" error={errors.confirm} autocomplete="new-password" />
        <button class="button" type="submit">
          Change password
        </button>
      </form>
    </Layout>
  )
}
