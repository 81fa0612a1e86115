import { readdir, readFile } from 'node:fs/promises';

/** CPU time used so far, in ms: this process (the bench server runs in it) and every PostgreSQL process. */
export interface CpuSnapshot {
  serverMs: number;
  postgresMs: number;
}

/** Linux's clock ticks per second for /proc/<pid>/stat (getconf CLK_TCK is 100 on Linux). */
const ticksPerSecond = 100;

async function postgresCpuMs(): Promise<number> {
  let total = 0;
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    // "pid (comm) state ppid …": utime and stime are fields 14 and 15, counted after the comm.
    const close = stat.lastIndexOf(')');
    if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue;
    const fields = stat.slice(close + 2).split(' ');
    // Its own time, and (cutime, cstime) that of its children already ended: the postmaster
    // collects the backends of connections that closed, such as the load process's.
    total += ((Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 1000) / ticksPerSecond;
  }
  return total;
}

export async function cpuSnapshot(): Promise<CpuSnapshot> {
  const usage = process.cpuUsage();
  return { serverMs: (usage.user + usage.system) / 1000, postgresMs: await postgresCpuMs() };
}

/** The whole machine's CPU counters (/proc/stat), to tell how busy all its cores were between two reads. */
export async function machineCpu(): Promise<{ busy: number; total: number }> {
  const line = (await readFile('/proc/stat', 'utf8').catch(() => 'cpu 0 0 0 0')).split('\n')[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (values[3] ?? 0) + (values[4] ?? 0); // idle + iowait
  const total = values.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** Percent of all cores busy between two `machineCpu()` reads. */
export const busyPercent = (before: { busy: number; total: number }, after: { busy: number; total: number }) =>
  Math.round(((after.busy - before.busy) / Math.max(1, after.total - before.total)) * 100);
