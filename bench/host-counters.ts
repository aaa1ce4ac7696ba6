import { readdirSync, readFileSync } from 'node:fs';

// Linux counters read around a benchmark run, to explain a throughput figure rather than to
// produce one. Under scripts/isolated-net.sh the UDP counters are the namespace's own, so they
// count the benchmark's traffic and nothing else.

/** CPU seconds spent by the whole machine (every process and the kernel) so far. */
export function machineCpuSeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal …: busy is all but idle, iowait and steal.
  const [user, nice, system, , , irq, softirq] = fields;
  return (user + nice + system + irq + softirq) / 100; // USER_HZ is 100 on Linux
}

/** UDP datagrams dropped so far because a receiving socket's buffer was full (IPv4 and IPv6). */
export function udpReceiveDrops(): number {
  const v4 = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((line) => line.startsWith('Udp:'));
  const names = v4[0]?.split(/\s+/) ?? [];
  const values = v4[1]?.split(/\s+/).map(Number) ?? [];
  const v6 = /Udp6RcvbufErrors\s+(\d+)/.exec(readFileSync('/proc/net/snmp6', 'utf8'));
  return (values[names.indexOf('RcvbufErrors')] ?? 0) + Number(v6?.[1] ?? 0);
}

/**
 * Where Chromium spends its CPU, by the part of the browser doing the work:
 * - `network`: the network service process, which owns the UDP sockets of every peer connection;
 * - `webrtc`: the renderers' WebRTC thread (ICE, DTLS, SCTP);
 * - `ipc`: the renderers' IO thread, which carries packets between the two processes;
 * - `page`: everything else in the renderers: the pages' main threads and workers (our code,
 *   hashing, disk writes), including threads that have ended;
 * - `browser`: the browser and other processes (reading a picked file's bytes, for one).
 */
export type CpuRole = 'network' | 'webrtc' | 'ipc' | 'page' | 'browser';
export const CPU_ROLES: readonly CpuRole[] = ['network', 'webrtc', 'ipc', 'page', 'browser'];

/** CPU seconds of a process (its ended threads included) or thread, from its stat line. */
function statSeconds(path: string): number {
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ
}

/** CPU seconds Chromium's processes have spent so far, by role (Linux /proc; 0 where unreadable). */
export function chromiumCpuSeconds(): Record<CpuRole, number> {
  const total: Record<CpuRole, number> = { network: 0, webrtc: 0, ipc: 0, page: 0, browser: 0 };
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      // Chromium rewrites its command line into one space-separated string.
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
      if (!args[0].includes('chrom')) continue;
      const type = args.find((arg) => arg.startsWith('--type='))?.slice('--type='.length);
      const seconds = statSeconds(`/proc/${pid}/stat`);
      if (type === 'utility' && args.includes('--utility-sub-type=network.mojom.NetworkService')) total.network += seconds;
      else if (type !== 'renderer') total.browser += seconds;
      else {
        let threads = 0;
        for (const tid of readdirSync(`/proc/${pid}/task`)) {
          const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8');
          const role = name.startsWith('WebRTC_') ? 'webrtc' : name.startsWith('Chrome_ChildIOT') ? 'ipc' : null;
          if (!role) continue;
          const spent = statSeconds(`/proc/${pid}/task/${tid}/stat`);
          total[role] += spent;
          threads += spent;
        }
        total.page += seconds - threads;
      }
    } catch {
      // The process ended while being read: its time is lost to this sample, not to the next.
    }
  }
  return total;
}

/** Runs `work` and reports what it cost the machine, next to its own result. */
export async function withCounters<T>(work: () => Promise<T>): Promise<{ result: T; cpuSeconds: number; udpDrops: number; byRole: Record<CpuRole, number> }> {
  const cpu = machineCpuSeconds();
  const drops = udpReceiveDrops();
  const roles = chromiumCpuSeconds();
  const result = await work();
  const after = chromiumCpuSeconds();
  const byRole = Object.fromEntries(CPU_ROLES.map((role) => [role, after[role] - roles[role]])) as Record<CpuRole, number>;
  return { result, cpuSeconds: machineCpuSeconds() - cpu, udpDrops: udpReceiveDrops() - drops, byRole };
}
