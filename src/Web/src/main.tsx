// The console's shell: who is signed in, the header with the views this role may open, the live event stream, and
// the page for the current route. Pages live in one folder each under pages/; shared parts under ui/ and api/.
import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import { api, onSessionExpired } from './api/client';
import { events } from './api/events';
import { linkClick, navigate, useLocation } from './ui/router';
import { allowed, homeOf, session, useSession, views } from './ui/session';
import { StreamBanner, StreamStatus } from './ui/components';
import { SignIn } from './pages/signin/SignIn';
import { Wallboard } from './pages/wallboard/Wallboard';
import { Supervisor } from './pages/supervisor/Supervisor';
import { AgentDesktop } from './pages/agent/AgentDesktop';
import { Admin } from './pages/admin/Admin';
import { CallSearch } from './pages/calls/CallSearch';
import { CallPage } from './pages/calls/CallPage';
import { Voicemail } from './pages/voicemail/Voicemail';
import './styles/app.css';

function Page(props: { path: string }) {
  const { me } = session.get();
  if (!me) return null;
  const path = props.path;
  if (!allowed(me.role, path)) {
    return <main class="page"><h1>Not for your role</h1><p role="alert">403: {me.role}s cannot open {path}. <a href={homeOf(me.role)} onClick={linkClick}>Go to your home page</a>.</p></main>;
  }
  if (path === '/wallboard') return <Wallboard />;
  if (path === '/supervisor') return <Supervisor />;
  if (path === '/agent') return <AgentDesktop me={me} />;
  if (path === '/calls') return <CallSearch me={me} />;
  if (path === '/voicemail') return <Voicemail me={me} />;
  if (path.startsWith('/calls/')) return <CallPage id={decodeURIComponent(path.slice('/calls/'.length))} />;
  if (path === '/admin' || path.startsWith('/admin/')) return <Admin path={path} />;
  return null;
}

function Header() {
  const { me } = session.get();
  const { path } = useLocation();
  if (!me) return null;
  const mine = views.filter(v => v.roles.includes(me.role));
  const signOut = async () => {
    try { await api.logout(); } catch { /* already gone */ }
    events.stop();
    session.set({ me: null, expired: false });
    navigate('/', true);
  };
  return (
    <header class="top">
      <a class="brand" href={homeOf(me.role)} onClick={linkClick}>Telephony</a>
      <nav aria-label="Views">
        {mine.map(v => (
          <a href={v.path} onClick={linkClick} aria-current={path === v.path || path.startsWith(v.path + '/') ? 'page' : undefined}>{v.label}</a>
        ))}
      </nav>
      <StreamStatus />
      <span class="who" data-testid="who">{me.user} <span class="role">({me.role})</span></span>
      <button type="button" onClick={signOut}>Sign out</button>
    </header>
  );
}

function App() {
  const { me, expired, checked } = useSession();
  const { path } = useLocation();

  useEffect(() => {
    api.me().then(m => { session.set({ me: m, checked: true }); events.start(); },
      () => session.set({ me: null, checked: true }));
    return onSessionExpired(() => { if (session.get().me) session.set({ expired: true }); });
  }, []);

  useEffect(() => {
    if (me && (path === '/' || path === '')) navigate(homeOf(me.role), true);
  }, [me, path]);

  if (!checked) return <main class="page"><p>Loading…</p></main>;
  if (!me) {
    return <SignIn onSignedIn={m => {
      session.set({ me: m, expired: false });
      events.start();
      navigate(path !== '/' && allowed(m.role, path) ? path + location.search : homeOf(m.role), true);
    }} />;
  }
  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <Header />
      <StreamBanner />
      <div id="main" tabIndex={-1}><Page path={path} /></div>
      {expired && (
        // The page stays mounted under the dialog: whatever was typed is still there after signing in again.
        <div class="overlay">
          <SignIn dialog user={me.user} onSignedIn={m => {
            const sameUser = m.user === me.user;
            session.set({ me: m, expired: false });
            if (sameUser) events.resume(); else { events.stop(); events.start(); navigate(homeOf(m.role), true); }
          }} />
        </div>
      )}
    </>
  );
}

render(<App />, document.getElementById('app')!);
