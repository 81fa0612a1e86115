import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import type { Role } from '../shared/auth.js';

export interface BannerLogin {
  email: string;
  password: string;
  role: Role;
  partnerId: number;
}

export interface BannerPartner {
  id: number;
  name: string;
  /** The platform operator (partners.is_dev): sees every partner's status and support view. */
  isDev: boolean;
}

/** What happened to the desktop URL: opened in a browser, or left for the user to open. */
export type DesktopOpening = 'opened' | 'no-browser' | 'not-asked';

export interface BannerInput {
  serverUrl: string;
  /** Browser mode's URL (with its launch token); null when the Electron window opened instead. */
  desktopUrl: string | null;
  opening: DesktopOpening;
  database: string;
  logins: readonly BannerLogin[];
  partners: readonly BannerPartner[];
  integrations: readonly { partner: string; key: string; status: string; message: string | null }[];
  hint: string;
}

const roleName = (role: Role) => (role === 'partner_admin' ? 'admin' : 'technician');

function desktopLine(input: BannerInput): string {
  if (!input.desktopUrl) return 'Electron window';
  if (input.opening === 'opened') return `${input.desktopUrl}\n              (opened in your browser)`;
  // No browser here (a server, a container, SSH): say how to get one to it.
  const why = input.opening === 'no-browser' ? 'no browser found here' : 'BROWSER=none';
  return `${input.desktopUrl}\n              (${why}: open this address in a browser on this machine)`;
}

/**
 * The `npm start` banner: where everything is, the demo logins with each one's role and partner,
 * and which of them is the platform operator (the dev partner, who alone sees the fleet of every
 * partner), so nobody has to guess which login shows what.
 */
export function formatBanner(input: BannerInput): string {
  const partner = (id: number) => input.partners.find((p) => p.id === id);
  const operator = input.partners.find((p) => p.isDev);
  const lines = [
    '',
    'Integration Center is running.',
    '',
    `  API         ${input.serverUrl}`,
    `  API docs    ${input.serverUrl}/api/docs`,
    `  Desktop     ${desktopLine(input)}`,
    `  Database    ${input.database}`,
    '',
    '  Demo logins (email / password):',
    ...input.logins.map((u) => {
      const p = partner(u.partnerId);
      const name = p?.name ?? `partner ${u.partnerId}`;
      return `    ${u.email.padEnd(28)} ${u.password.padEnd(22)} ${roleName(u.role).padEnd(11)} ${p?.isDev ? `${name} (platform operator)` : name}`;
    }),
  ];
  if (operator) {
    const admin = input.logins.find((u) => u.partnerId === operator.id && u.role === 'partner_admin');
    lines.push(
      '',
      `  Platform operator: ${operator.name}${admin ? ` — sign in as ${admin.email}` : ''} to see every partner's`,
      '  integrations in Fleet and open any partner read-only to support it.',
    );
  }
  lines.push('', '  Demo integrations (against fake vendors on loopback):');
  // The key column as wide as its longest key (tacticalrmm), so every row lines up.
  const keyWidth = Math.max(0, ...input.integrations.map((i) => i.key.length));
  for (const i of input.integrations) lines.push(`    ${i.partner.padEnd(20)} ${i.key.padEnd(keyWidth)} ${i.status.padEnd(10)} ${i.message ?? ''}`.trimEnd());
  lines.push('', `  Try it: ${input.hint}`, '', 'Press Ctrl+C to stop.');
  return lines.join('\n');
}

export interface Opener {
  command: string;
  args: string[];
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this directory
    }
  }
  return null;
}

/**
 * How this machine opens a URL in the user's browser, or null where there is none to open: on
 * Linux that needs `xdg-open` and a graphical session (DISPLAY or WAYLAND_DISPLAY), so a server,
 * a container or an SSH session prints the address instead. `BROWSER=none` (the convention of
 * create-react-app and others) asks for no browser.
 */
export function browserOpener(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Opener | null | 'not-asked' {
  if (env.BROWSER === 'none') return 'not-asked';
  if (platform === 'darwin') return { command: 'open', args: [] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', ''] };
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null;
  const xdg = onPath('xdg-open', env);
  return xdg ? { command: xdg, args: [] } : null;
}

/** Opens `url` in the browser where there is one; says what it did for the banner. */
export function openDesktopUrl(url: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): DesktopOpening {
  const opener = browserOpener(env, platform);
  if (opener === 'not-asked') return 'not-asked';
  if (!opener) return 'no-browser';
  try {
    // Detached and ignored: the browser outlives nothing of ours, and a failure only costs the click.
    const child = spawn(opener.command, [...opener.args, url], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
    return 'opened';
  } catch {
    return 'no-browser';
  }
}
