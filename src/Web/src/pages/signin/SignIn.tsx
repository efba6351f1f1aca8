// The sign-in form for every role (POST /api/auth/login sets the HttpOnly session cookie). Also shown as a dialog over
// the current page when the session expires, so nothing typed on the page is lost.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { Me } from '../../api/types';

export function SignIn(props: { onSignedIn: (me: Me) => void; dialog?: boolean; user?: string }) {
  const [user, setUser] = useState(props.user ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  const secret = useRef<HTMLInputElement>(null);
  // Signing in again: the user is known, the password is what is missing.
  useEffect(() => { (props.user ? secret : first).current?.focus(); }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await api.login(user.trim(), password);
      setPassword('');
      props.onSignedIn({ user: answer.user, role: answer.role, method: 'cookie', expiresAt: answer.expiresAt });
    } catch (err) {
      const status = (err as { status?: number }).status;
      setError(status === 429 ? 'Too many failed sign-ins: wait a moment and try again.'
        : status === 401 ? 'Unknown user or wrong password.' : `Sign-in failed (${(err as Error).message}).`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class={props.dialog ? 'signin dialog' : 'signin'} role={props.dialog ? 'dialog' : undefined} aria-modal={props.dialog ? true : undefined}
      aria-labelledby="signin-title">
      <form onSubmit={submit} class="signin-form" data-testid="signin-form">
        <h1 id="signin-title">{props.dialog ? 'Session expired: sign in again' : 'Telephony console'}</h1>
        {props.dialog && <p>Your work on this page is kept: sign in to carry on.</p>}
        <label for="signin-user">User (extension or account)</label>
        <input id="signin-user" ref={first} name="user" autocomplete="username" required value={user}
          onInput={e => setUser((e.target as HTMLInputElement).value)} />
        <label for="signin-password">Password</label>
        <input id="signin-password" ref={secret} name="password" type="password" autocomplete="current-password" required value={password}
          onInput={e => setPassword((e.target as HTMLInputElement).value)} />
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit" class="primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
        {!props.dialog && <p class="hint">Agents land on their desktop, supervisors on the wallboard, admins on the overview.</p>}
      </form>
    </main>
  );
}
