// Who is signed in, and which views that role may open. Kept in memory only: the session itself is the HttpOnly cookie.
import { useEffect, useState } from 'preact/hooks';
import type { Me, Role } from '../api/types';

export interface View { path: string; label: string; roles: Role[] }

/** The console's views; a user sees those its role admits (supervisors and admins see several and can switch). */
export const views: View[] = [
  { path: '/agent', label: 'Agent desktop', roles: ['agent'] },
  { path: '/wallboard', label: 'Wallboard', roles: ['supervisor', 'admin'] },
  { path: '/supervisor', label: 'Supervisor', roles: ['supervisor', 'admin'] },
  { path: '/calls', label: 'Calls', roles: ['agent', 'supervisor', 'admin'] },
  { path: '/voicemail', label: 'Voicemail', roles: ['agent', 'supervisor', 'admin'] },
  { path: '/admin', label: 'Admin', roles: ['admin'] },
];

export function homeOf(role: Role): string {
  return role === 'agent' ? '/agent' : role === 'supervisor' ? '/wallboard' : '/admin';
}

export function allowed(role: Role, path: string): boolean {
  const view = views.find(v => path === v.path || path.startsWith(v.path + '/'));
  return view ? view.roles.includes(role) : false;
}

type SessionState = { me: Me | null; expired: boolean; checked: boolean };
let state: SessionState = { me: null, expired: false, checked: false };
const listeners = new Set<() => void>();

export const session = {
  get: () => state,
  set(next: Partial<SessionState>): void {
    state = { ...state, ...next };
    listeners.forEach(l => l());
  },
};

export function useSession(): SessionState {
  const [, setTick] = useState(0);
  useEffect(() => {
    const l = () => setTick(t => t + 1);
    listeners.add(l);
    return () => { listeners.delete(l); };
  }, []);
  return state;
}
